package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.ParseResult;
import dev.tessera.agg.definition.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates a document the way publishing will: common-agg reads and compiles it (every problem
 * at once, with JSON paths; CEL errors with their position), the registry adds its own storage
 * limits, and each problem gets the line of the document it concerns. Pure: no database, no Spring.
 */
public final class DefinitionValidator {
  /** Longest team name the registry stores (it is a column of the GroupBy list). */
  public static final int MAX_TEAM_LENGTH = 128;

  private DefinitionValidator() {}

  public static Validation validate(DefinitionDocument doc) {
    ParseResult parsed = GroupByReader.read(doc.text(), doc.format().readerFormat());
    CompileResult result = GroupByCompiler.compile(parsed);
    List<Problem> problems = new ArrayList<>(result.problems());
    GroupBy g = parsed.groupBy();
    if (g != null && g.team() != null && g.team().length() > MAX_TEAM_LENGTH) {
      problems.add(new Problem("$.team", "is " + g.team().length() + " characters long; at most " + MAX_TEAM_LENGTH + " are allowed"));
    }
    if (problems.isEmpty()) {
      return new Validation(doc, g, result.compiled(), List.of());
    }
    return new Validation(doc, g, null, locate(doc, problems));
  }

  static List<LocatedProblem> locate(DefinitionDocument doc, List<Problem> problems) {
    DocumentLocator locator = DocumentLocator.of(doc.text(), doc.format());
    List<LocatedProblem> out = new ArrayList<>(problems.size());
    for (Problem p : problems) {
      DocumentLocator.Position at = locator.nearest(p.path());
      out.add(new LocatedProblem(p.path(), p.message(), at == null ? null : at.line(), at == null ? null : at.column()));
    }
    return out;
  }
}
