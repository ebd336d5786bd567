package dev.tessera.registry.definition;

/**
 * Keeps the definitions that depend on another one working (DESIGN-joins.md: a Join reads its
 * GroupBys): refuses to retire a definition they need, or to publish a version of it they would
 * no longer compile against. Runs inside the write's transaction, which holds the name's row lock.
 */
public interface DependentsGuard {
  /** The kind whose writes this guard checks. */
  Kind guards();

  /** Before {@code name} is retired. @throws DefinitionInUseException when active definitions use it */
  void beforeRetire(String name);

  /**
   * After a publish wrote {@code version} of {@code name} (a new version, or the latest one
   * updated in place), before it commits.
   *
   * @throws DefinitionInUseException when active definitions that use it would no longer compile
   */
  void afterPublish(String name, int version);
}
