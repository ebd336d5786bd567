package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.ParseResult;
import dev.tessera.agg.definition.Problem;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.definition.Validation;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a GroupBy document the way publishing will: common-agg reads and compiles it (every
 * problem at once, with JSON paths; CEL errors with their position), the registry adds its own
 * storage limits, and each problem gets the line of the document it concerns. Pure: no database,
 * no Spring.
 */
public final class DefinitionValidator {
  private DefinitionValidator() {}

  public static Validation<GroupBy, CompiledGroupBy> validate(DefinitionDocument doc) {
    ParseResult parsed = GroupByReader.read(doc.text(), doc.format() == DocumentFormat.JSON ? GroupByReader.Format.JSON
        : GroupByReader.Format.YAML);
    CompileResult result = GroupByCompiler.compile(parsed);
    List<Problem> problems = new ArrayList<>(result.problems());
    GroupBy g = parsed.groupBy();
    if (g != null) problems.addAll(DefinitionSummary.storageProblems(g.team(), g.description()));
    return Validation.of(Kind.GROUPBY, doc, g == null ? null : g.name(), g, problems.isEmpty() ? result.compiled() : null, problems);
  }
}
