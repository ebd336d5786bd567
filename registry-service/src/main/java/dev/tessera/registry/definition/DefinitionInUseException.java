package dev.tessera.registry.definition;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A write that would break active definitions of another kind that use this one (a GroupBy that
 * Joins read): 409, naming them. Retiring it is refused while they use it; publishing a version
 * they would no longer compile against is refused until they are changed or pinned.
 */
public class DefinitionInUseException extends RuntimeException {
  private final Kind kind;
  private final String name;
  private final Kind usedBy;
  private final List<String> users;

  private DefinitionInUseException(Kind kind, String name, Kind usedBy, List<String> users, String message) {
    super(message);
    this.kind = kind;
    this.name = name;
    this.usedBy = usedBy;
    this.users = List.copyOf(users);
  }

  /** Retiring {@code name} is refused while {@code users} read it. */
  public static DefinitionInUseException retiring(Kind kind, String name, Kind usedBy, List<String> users) {
    boolean one = users.size() == 1;
    return new DefinitionInUseException(kind, name, usedBy, users, kind.label() + " " + name + " cannot be retired: the active "
        + usedBy.label() + (one ? " " : "s ") + String.join(", ", users) + (one ? " uses" : " use") + " it. Retire "
        + (one ? "that " + usedBy.label() : "those " + usedBy.label() + "s") + " first, or publish " + (one ? "it" : "them")
        + " without " + name + ".");
  }

  /** Publishing {@code version} of {@code name} is refused: these users would no longer compile (their problems by name). */
  public static DefinitionInUseException breaking(Kind kind, String name, int version, Kind usedBy, Map<String, List<String>> problems) {
    boolean one = problems.size() == 1;
    String each = problems.entrySet().stream().map(e -> e.getKey() + " (" + String.join("; ", e.getValue()) + ")")
        .collect(Collectors.joining(", "));
    return new DefinitionInUseException(kind, name, usedBy, List.copyOf(problems.keySet()), kind.label() + " " + name
        + " cannot be published as version " + version + ": the active " + usedBy.label() + (one ? " " : "s ") + each
        + (one ? " reads" : " read") + " it and would no longer compile. Pin " + (one ? "its part" : "their parts") + " to the "
        + kind.label() + " version " + (one ? "it reads" : "they read") + " now (version: N), or change " + (one ? "it" : "them")
        + " first.");
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
