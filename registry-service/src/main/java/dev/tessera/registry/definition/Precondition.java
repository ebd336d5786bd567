package dev.tessera.registry.definition;

/**
 * What a writer believes the current state is (optimistic locking). Each part is optional:
 * {@code expectedVersion} the latest version it based its edit on (0 = the name must be new);
 * {@code expectedRevision} the exact revision, from an ETag, so that concurrent metadata edits
 * conflict too; {@code mustExist} from {@code If-Match: *}.
 */
public record Precondition(Integer expectedVersion, Long expectedRevision, boolean mustExist) {
  public static final Precondition NONE = new Precondition(null, null, false);

  public Precondition {
    if (expectedVersion != null && expectedVersion < 0) throw new IllegalArgumentException("expectedVersion must be >= 0");
  }

  public boolean isNone() {
    return expectedVersion == null && expectedRevision == null && !mustExist;
  }

  /**
   * Null when the current state (null = the name does not exist) satisfies this precondition,
   * otherwise what is wrong, for the 409.
   */
  public String violationBy(DefinitionSummary current) {
    if (current == null) {
      if (mustExist) return "it does not exist";
      if (expectedVersion != null && expectedVersion != 0) return "it does not exist (expected version " + expectedVersion + ")";
      if (expectedRevision != null) return "it does not exist";
      return null;
    }
    if (expectedVersion != null && expectedVersion != current.latestVersion()) {
      return expectedVersion == 0 ? "it already exists at version " + current.latestVersion()
          : "its latest version is " + current.latestVersion() + ", not " + expectedVersion;
    }
    if (expectedRevision != null && expectedRevision != current.revision()) {
      return "it was changed since you read it (revision " + current.revision() + ", not " + expectedRevision + ")";
    }
    return null;
  }
}
