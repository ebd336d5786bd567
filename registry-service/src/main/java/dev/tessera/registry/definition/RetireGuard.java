package dev.tessera.registry.definition;

/**
 * Refuses to retire a definition that something else still needs (DESIGN-joins.md: a Join reads
 * its GroupBys). Runs inside the retiring transaction, after the name's row is locked.
 */
public interface RetireGuard {
  /** The kind whose retirements this guard checks. */
  Kind guards();

  /** @throws DefinitionInUseException when active definitions use {@code name} */
  void check(String name);
}
