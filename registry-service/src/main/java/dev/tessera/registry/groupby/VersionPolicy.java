package dev.tessera.registry.groupby;

import dev.tessera.agg.definition.GroupBy;

/** Decides what publishing a definition does to a name's history. Pure. */
public final class VersionPolicy {
  private VersionPolicy() {}

  /**
   * @param status the name's status, null when it was never published
   * @param latest the definition of its latest version, null when it was never published
   * @param candidate the definition being published (valid)
   */
  public static Change decide(GroupByStatus status, GroupBy latest, GroupBy candidate) {
    if (latest == null) return Change.CREATED;
    // Retired names come back as a new version: whatever was computed under the old one was
    // stopped and may be stale, and data of different versions never mix (DESIGN.md "Versions").
    if (status == GroupByStatus.RETIRED) return Change.NEW_VERSION;
    if (!latest.sameComputation(candidate)) return Change.NEW_VERSION;
    return latest.equals(candidate) ? Change.UNCHANGED : Change.METADATA_UPDATED;
  }

  /** The version a change leaves as the latest. */
  public static int versionAfter(Change change, int latestVersion) {
    return change.createsVersion() ? latestVersion + 1 : latestVersion;
  }
}
