package dev.tessera.registry.definition;

/** Someone changed the definition since the writer read it: 409, re-read and try again. */
public class VersionConflictException extends RuntimeException {
  private final String name;
  private final Integer currentVersion;
  private final String currentEtag;

  public VersionConflictException(Kind kind, String name, String why, DefinitionSummary current) {
    super(kind.label() + " " + name + " cannot be changed: " + why + ". Read it again and retry with the current version.");
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
