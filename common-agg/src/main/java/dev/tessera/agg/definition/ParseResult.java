package dev.tessera.agg.definition;

import java.util.List;

/**
 * What the reader made of a document: the definition (null when it is too broken to inspect),
 * the problems found while reading, and where each model element came from in the document, so
 * that later problems carry the document's JSON paths even when a broken element was left out.
 */
public record ParseResult(GroupBy groupBy, List<Problem> problems, DocumentPaths paths) {
  public ParseResult {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return groupBy != null && problems.isEmpty();
  }
}
