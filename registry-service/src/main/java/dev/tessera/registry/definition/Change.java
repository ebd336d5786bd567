package dev.tessera.registry.definition;

/**
 * What a publish did (or, in a dry run, would do). DESIGN.md "Versions": a change to sources,
 * keys or aggregations makes a new version; a change to team, description, online or streaming
 * settings updates the latest version in place.
 */
public enum Change {
  /** The first version of a new name. */
  CREATED,
  /** The computation changed, or a retired name was published again: version + 1. */
  NEW_VERSION,
  /** Same computation, other metadata: the latest version was updated and re-published. */
  METADATA_UPDATED,
  /** Exactly the latest definition: nothing written, nothing published. */
  UNCHANGED,
  /** A tombstone was published. */
  RETIRED;

  public boolean createsVersion() {
    return this == CREATED || this == NEW_VERSION;
  }

  public boolean writes() {
    return this != UNCHANGED;
  }
}
