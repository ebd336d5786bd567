package dev.tessera.registry.groupby;

/** No GroupBy (or no such version of it) is registered. */
public class GroupByNotFoundException extends RuntimeException {
  private final String name;
  private final Integer version;

  public GroupByNotFoundException(String name) {
    super("No GroupBy named '" + name + "' is registered");
    this.name = name;
    this.version = null;
  }

  public GroupByNotFoundException(String name, int version, int latest) {
    super("GroupBy " + name + " has no version " + version + " (versions 1 to " + latest + " exist)");
    this.name = name;
    this.version = version;
  }

  public String name() {
    return name;
  }

  public Integer version() {
    return version;
  }
}
