package dev.tessera.registry.definition;

import java.util.List;

/** A definition with problems; carries every one of them (the API answers 400 with the list). */
public class InvalidDefinitionException extends RuntimeException {
  private final transient Validation<?, ?> validation;

  public InvalidDefinitionException(Validation<?, ?> validation) {
    super(summary(validation.name(), validation.problems()));
    this.validation = validation;
  }

  public Validation<?, ?> validation() {
    return validation;
  }

  public Kind kind() {
    return validation.kind();
  }

  static String summary(String name, List<LocatedProblem> problems) {
    String what = name == null ? "The definition" : name;
    if (problems.size() == 1) return what + " has 1 problem: " + problems.getFirst();
    return what + " has " + problems.size() + " problems; the first: " + problems.getFirst();
  }
}
