package dev.tessera.registry.definition;

import java.util.List;

/**
 * A definition cannot be retired while active definitions of another kind use it (a GroupBy that
 * a Join reads): 409, naming them. Retire those first, or publish them without it.
 */
public class DefinitionInUseException extends RuntimeException {
  private final Kind kind;
  private final String name;
  private final Kind usedBy;
  private final List<String> users;

  public DefinitionInUseException(Kind kind, String name, Kind usedBy, List<String> users) {
    super(kind.label() + " " + name + " cannot be retired: the active " + usedBy.label() + (users.size() == 1 ? " " : "s ")
        + String.join(", ", users) + (users.size() == 1 ? " uses" : " use") + " it. Retire "
        + (users.size() == 1 ? "that " + usedBy.label() : "those " + usedBy.label() + "s") + " first, or publish "
        + (users.size() == 1 ? "it" : "them") + " without " + name + ".");
    this.kind = kind;
    this.name = name;
    this.usedBy = usedBy;
    this.users = List.copyOf(users);
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public Kind usedBy() {
    return usedBy;
  }

  public List<String> users() {
    return users;
  }
}
