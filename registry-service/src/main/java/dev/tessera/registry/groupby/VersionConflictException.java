package dev.tessera.registry.groupby;

/** Someone changed the GroupBy since the writer read it: 409, re-read and try again. */
public class VersionConflictException extends RuntimeException {
  private final String name;
  private final Integer currentVersion;
  private final String currentEtag;

  public VersionConflictException(String name, String why, GroupBySummary current) {
    super("GroupBy " + name + " cannot be changed: " + why + ". Read it again and retry with the current version.");
    this.name = name;
    this.currentVersion = current == null ? null : current.latestVersion();
    this.currentEtag = current == null ? null : current.etag();
  }

  public String name() {
    return name;
  }

  public Integer currentVersion() {
    return currentVersion;
  }

  public String currentEtag() {
    return currentEtag;
  }
}
