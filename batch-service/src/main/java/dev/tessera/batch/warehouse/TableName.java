package dev.tessera.batch.warehouse;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A warehouse table or view named in a definition or a request: {@code name} or {@code schema.name},
 * identifier characters only. Names are always quoted in SQL, so nothing a user types can change a
 * statement; the pattern keeps error messages and Parquet paths readable.
 */
public record TableName(String schema, String name) implements Relation {
  private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  public TableName {
    if (schema != null && !PART.matcher(schema).matches()) throw new IllegalArgumentException("bad schema name '" + schema + "'");
    if (name == null || !PART.matcher(name).matches()) throw new IllegalArgumentException("bad table name '" + name + "'");
  }

  /**
   * @throws IllegalArgumentException naming the rule when {@code text} is not {@code [schema.]name}
   */
  public static TableName parse(String text) {
    if (text == null || text.isBlank()) throw new IllegalArgumentException("a table name is required");
    String[] parts = text.trim().split("\\.", -1);
    if (parts.length > 2 || !PART.matcher(parts[parts.length - 1]).matches() || (parts.length == 2 && !PART.matcher(parts[0]).matches())) {
      throw new IllegalArgumentException("'" + text + "' is not a table name: use name or schema.name with letters, digits and _ (starting with a letter or _)");
    }
    return parts.length == 2 ? new TableName(parts[0], parts[1]) : new TableName(null, parts[0]);
  }

  public TableName withSuffix(String suffix) {
    return new TableName(schema, name + suffix);
  }

  /** Lower-case form for comparisons: DuckDB and unquoted PostgreSQL names are case-insensitive in practice. */
  @Override
  public String key() {
    return toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return schema == null ? name : schema + "." + name;
  }
}
