package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import java.util.List;

/**
 * What validating a document gave: the compiled GroupBy when it is valid, otherwise every problem
 * (and the definition as far as it could be read, null when not even a name could be).
 */
public record Validation(DefinitionDocument document, GroupBy definition, CompiledGroupBy compiled,
    List<LocatedProblem> problems) {
  public Validation {
    problems = List.copyOf(problems);
    if (compiled != null && !problems.isEmpty()) throw new IllegalArgumentException("a valid definition has no problems");
  }

  public boolean ok() {
    return compiled != null;
  }

  /** The name the document gives, or null when it has none. */
  public String name() {
    return definition == null ? null : definition.name();
  }

  public CompiledGroupBy orThrow() {
    if (compiled == null) throw new InvalidDefinitionException(this);
    return compiled;
  }
}
