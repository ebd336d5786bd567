package dev.tessera.agg.definition;

import java.util.List;

/**
 * The shape rules of a {@code parquet} dataset path in a definition: a folder, a file or a glob
 * ({@code *}, {@code **}, {@code ?}) of Parquet files, absolute or relative to the batch service's
 * lake directory. The batch side reads it with DuckDB and checks where it points (it must stay
 * inside that directory); these rules are the part a definition can be checked for anywhere: no
 * quotes, backslashes or control characters (the path ends up in SQL text, as a quoted literal, and
 * must never need escaping to be read right) and no {@code ..} segment (a definition must not climb
 * out of the directory it is resolved against).
 */
public final class ParquetPath {
  private static final int MAX_LENGTH = 1024;

  private ParquetPath() {}

  /** What is wrong with {@code path}, or null when it is a usable dataset path. */
  public static String problem(String path) {
    if (path == null || path.isBlank()) return "a Parquet dataset path is required (a folder or a glob of .parquet files)";
    if (path.length() > MAX_LENGTH) return "a Parquet dataset path has at most " + MAX_LENGTH + " characters";
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\'' || c == '"' || c == '\\' || c == '`' || c == ';' || Character.isISOControl(c)) {
        return "'" + printable(path) + "' has a character a Parquet path may not contain (quotes, backslash, ';' or control characters)";
      }
    }
    if (List.of(path.split("/", -1)).contains("..")) return "'" + path + "' has a '..' segment: name the dataset without climbing out of a folder";
    if (path.contains("{") || path.contains("[")) return "'" + path + "' uses {..} or [..]: only the globs *, ** and ? are supported";
    return null;
  }

  /**
   * Exactly one of a table and a dataset, the dataset's path well formed: what the batch side of
   * a source or a Join's left reads.
   *
   * @param path JSON path of the object holding {@code table} / {@code parquet}
   * @param missing the message when neither is given
   */
  public static void checkTableOrDataset(String table, String parquet, String path, String missing, List<Problem> problems) {
    if (table != null && parquet != null) {
      problems.add(new Problem(path + ".parquet", "give either a table or a Parquet dataset (parquet), not both"));
    } else if (parquet != null) {
      String problem = problem(parquet);
      if (problem != null) problems.add(new Problem(path + ".parquet", problem));
    } else if (table == null || table.isBlank()) {
      problems.add(new Problem(path + ".table", missing));
    }
  }

  private static String printable(String path) {
    StringBuilder b = new StringBuilder();
    path.codePoints().forEach(c -> b.append(Character.isISOControl(c) ? "\\u%04x".formatted(c) : Character.toString(c)));
    return b.toString();
  }
}
