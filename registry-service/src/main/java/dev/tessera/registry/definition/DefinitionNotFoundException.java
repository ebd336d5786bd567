package dev.tessera.registry.definition;

/** No definition of that kind and name (or no such version of it) is registered: 404. */
public class DefinitionNotFoundException extends RuntimeException {
  private final Kind kind;
  private final String name;
  private final Integer version;

  public DefinitionNotFoundException(Kind kind, String name) {
    super("No " + kind.label() + " named '" + name + "' is registered");
    this.kind = kind;
    this.name = name;
    this.version = null;
  }

  public DefinitionNotFoundException(Kind kind, String name, int version, int latest) {
    super(kind.label() + " " + name + " has no version " + version + " (versions 1 to " + latest + " exist)");
    this.kind = kind;
    this.name = name;
    this.version = version;
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public Integer version() {
    return version;
  }
}
