package dev.tessera.agg.definition;

import java.util.Objects;

/** One thing wrong with a definition: where ({@code $.aggregations[2].operation}) and what. */
public record Problem(String path, String message) {
  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
