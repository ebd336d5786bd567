package dev.tessera.agg.definition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** One thing wrong with a definition: where ({@code $.aggregations[2].operation}) and what. */
public record Problem(String path, String message) {
  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The reader's problems, then the compiler's except those at a path the reader already reported:
   * where the reader found a problem it left a default or nothing, and what the compiler then says
   * about that same path ("at least one key is required" after "keys: must be a list") is only a
   * consequence of it, and would report one mistake twice.
   */
  public static List<Problem> readingThenCompiling(List<Problem> reading, List<Problem> compiling) {
    List<Problem> all = new ArrayList<>(reading);
    Set<String> reported = new HashSet<>();
    reading.forEach(p -> reported.add(p.path()));
    compiling.stream().filter(p -> !reported.contains(p.path())).forEach(all::add);
    return all;
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
