package dev.tessera.registry.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.agg.definition.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validation problem as the registry reports it: the JSON path and message common-agg gives,
 * plus the line and column of the document where that path is written (null when the path is not
 * in the document, e.g. a required field that is missing).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LocatedProblem(String path, String message, Integer line, Integer column) {
  public LocatedProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** Each problem with the line of the document it concerns. */
  public static List<LocatedProblem> locate(DefinitionDocument doc, List<Problem> problems) {
    DocumentLocator locator = DocumentLocator.of(doc.text(), doc.format());
    List<LocatedProblem> out = new ArrayList<>(problems.size());
    for (Problem p : problems) {
      DocumentLocator.Position at = locator.nearest(p.path());
      out.add(new LocatedProblem(p.path(), p.message(), at == null ? null : at.line(), at == null ? null : at.column()));
    }
    return out;
  }

  @Override
  public String toString() {
    return path + (line == null ? "" : " (line " + line + ")") + ": " + message;
  }
}
