package dev.tessera.registry.definition;

import dev.tessera.agg.definition.Problem;
import java.util.List;

/**
 * What validating a document gave: the compiled definition when it is valid, otherwise every
 * problem (and the definition as far as it could be read, null when not even a name could be).
 *
 * @param <D> the definition (GroupBy, Join)
 * @param <C> what it compiles to
 */
public record Validation<D, C>(Kind kind, DefinitionDocument document, String name, D definition, C compiled,
    List<LocatedProblem> problems) {
  public Validation {
    problems = List.copyOf(problems);
    if (compiled != null && !problems.isEmpty()) throw new IllegalArgumentException("a valid definition has no problems");
  }

  /** A valid definition, or the problems found (each located in the document). */
  public static <D, C> Validation<D, C> of(Kind kind, DefinitionDocument doc, String name, D definition, C compiled,
      List<Problem> problems) {
    if (problems.isEmpty()) return new Validation<>(kind, doc, name, definition, compiled, List.of());
    return new Validation<>(kind, doc, name, definition, null, LocatedProblem.locate(doc, problems));
  }

  public boolean ok() {
    return compiled != null;
  }

  public C orThrow() {
    if (compiled == null) throw new InvalidDefinitionException(this);
    return compiled;
  }
}
