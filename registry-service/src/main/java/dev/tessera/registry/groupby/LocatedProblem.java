package dev.tessera.registry.groupby;

import com.fasterxml.jackson.annotation.JsonInclude;
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

  @Override
  public String toString() {
    return path + (line == null ? "" : " (line " + line + ")") + ": " + message;
  }
}
