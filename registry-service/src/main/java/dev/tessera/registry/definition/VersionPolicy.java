package dev.tessera.registry.definition;

import dev.tessera.agg.definition.GroupBy;
import java.util.function.BiPredicate;

/** Decides what publishing a definition does to a name's history. Pure. */
public final class VersionPolicy {
  private VersionPolicy() {}

  /**
   * @param status the name's status, null when it was never published
   * @param latest the definition of its latest version, null when it was never published
   * @param candidate the definition being published (valid)
   * @param sameComputation whether two definitions give the same data (common-agg's
   *     {@code GroupBy.sameComputation}, {@code Join.sameComputation})
   */
  public static <D> Change decide(DefinitionStatus status, D latest, D candidate, BiPredicate<D, D> sameComputation) {
    if (latest == null) return Change.CREATED;
    // Retired names come back as a new version: whatever was computed under the old one was
    // stopped and may be stale, and data of different versions never mix (DESIGN.md "Versions").
    if (status == DefinitionStatus.RETIRED) return Change.NEW_VERSION;
    if (!sameComputation.test(latest, candidate)) return Change.NEW_VERSION;
    return latest.equals(candidate) ? Change.UNCHANGED : Change.METADATA_UPDATED;
  }

  public static Change decide(DefinitionStatus status, GroupBy latest, GroupBy candidate) {
    return decide(status, latest, candidate, GroupBy::sameComputation);
  }

  /** The version a change leaves as the latest. */
  public static int versionAfter(Change change, int latestVersion) {
    return change.createsVersion() ? latestVersion + 1 : latestVersion;
  }
}
