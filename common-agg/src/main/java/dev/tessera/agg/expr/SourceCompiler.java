package dev.tessera.agg.expr;

import dev.cel.bundle.Cel;
import dev.cel.common.types.SimpleType;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DocumentPaths;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.ParquetPath;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.row.RowSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Compiles and type-checks a source's CEL against its schema. Reports every problem with its JSON
 * path; CEL errors keep CEL's own line:column and caret so the user sees where.
 */
public final class SourceCompiler {
  private static final Pattern IDENT = CelEnvironment.IDENT;

  /**
   * The compiled source, or null when there are problems. {@code columns} are the columns the
   * selects produce, known whenever every select compiled (even if a where or the time column did
   * not), so that the columns the aggregations use can still be checked; null otherwise.
   */
  public record Compilation(CompiledSource source, List<Problem> problems, RowSchema columns) {}

  private final EventSource src;
  private final String path;
  private final List<Problem> problems = new ArrayList<>();
  private RowSchema input;
  private Cel cel;
  private Cel celBool;

  private SourceCompiler(EventSource src, String path) {
    this.src = src;
    this.path = path;
  }

  /** @param path JSON path of the {@code events} object, e.g. {@code $.sources[0].events} */
  public static Compilation compile(EventSource source, String path) {
    return new SourceCompiler(source, path).run();
  }

  private Compilation run() {
    ParquetPath.checkTableOrDataset(src.table(), src.parquet(), path, "a warehouse table or a Parquet dataset (parquet) is required (the batch side reads it)", problems);
    if (src.schema().isEmpty()) {
      problems.add(new Problem(path + ".schema", "the schema has no columns"));
      return new Compilation(null, problems, null);
    }
    input = new RowSchema(src.schema());
    cel = CelEnvironment.builder(src.schema()).build();
    celBool = cel.toCelBuilder().setResultType(SimpleType.BOOL).build();

    String q = path + ".query";
    List<CompiledExpression> wheres = new ArrayList<>();
    for (int i = 0; i < src.query().wheres().size(); i++) {
      CompiledExpression w = celExpression(celBool, src.query().wheres().get(i), q + ".wheres[" + i + "]");
      if (w != null) wheres.add(w);
    }
    CompiledExpression time = timeColumn(q + ".timeColumn");

    Map<String, String> selects = src.query().selects();
    if (selects.isEmpty()) {
      selects = new LinkedHashMap<>();
      for (String column : src.schema().keySet()) selects.put(column, column);
    }
    Map<String, DataType> outputColumns = new LinkedHashMap<>();
    List<CompiledExpression> compiledSelects = new ArrayList<>();
    boolean selectsOk = true;
    for (var e : selects.entrySet()) {
      String p = DocumentPaths.child(q + ".selects", e.getKey());
      if (!IDENT.matcher(e.getKey()).matches()) {
        problems.add(new Problem(p, "column name '" + e.getKey() + "' must be an identifier ([A-Za-z_][A-Za-z0-9_]*)"));
        selectsOk = false;
        continue;
      }
      CompiledExpression s = select(e.getValue(), p);
      if (s != null) {
        outputColumns.put(e.getKey(), s.type);
        compiledSelects.add(s);
      } else {
        selectsOk = false;
      }
    }
    RowSchema columns = selectsOk ? new RowSchema(outputColumns) : null;
    if (!problems.isEmpty()) {
      return new Compilation(null, problems, columns);
    }
    return new Compilation(new CompiledSource(src, input, columns, wheres, compiledSelects, time), problems, columns);
  }

  private CompiledExpression timeColumn(String p) {
    String tc = src.query().timeColumn();
    if (tc == null || tc.isBlank()) {
      problems.add(new Problem(p, "a timeColumn is required: the column with the event time in epoch milliseconds"));
      return null;
    }
    int idx = input.indexOf(tc.trim());
    if (idx >= 0) {
      DataType t = input.type(idx);
      if (!t.isIntegral()) {
        problems.add(new Problem(p, "time column '" + tc + "' is " + t.spec() + "; it must be LONG (or INT) epoch milliseconds"));
        return null;
      }
      return CompiledExpression.column(tc, t, idx);
    }
    if (IDENT.matcher(tc.trim()).matches()) {
      problems.add(new Problem(p, "time column '" + tc + "' is not in the schema (columns: " + String.join(", ", input.names()) + ")"));
      return null;
    }
    return celExpression(cel.toCelBuilder().setResultType(SimpleType.INT).build(), tc, p);
  }

  private CompiledExpression select(String expression, String p) {
    String text = expression == null ? "" : expression.trim();
    int idx = input.indexOf(text);
    if (idx >= 0) {
      return CompiledExpression.column(text, input.type(idx), idx);
    }
    return celExpression(cel, text, p);
  }

  private CompiledExpression celExpression(Cel env, String text, String p) {
    if (text == null || text.isBlank()) {
      problems.add(new Problem(p, "the expression is empty"));
      return null;
    }
    CelEnvironment.Outcome result = CelEnvironment.compile(env, text);
    if (!result.ok()) {
      problems.add(new Problem(p, result.error()));
      return null;
    }
    var checked = result.checked();
    if (checked.type().isEmpty()) {
      problems.add(new Problem(p, "CEL: '" + text + "' has type " + checked.celType().name()
          + ", which a column cannot hold (use string, int, double, bool, list or map<string, _>)"));
      return null;
    }
    int[] referenced = checked.referenced().stream().mapToInt(input::indexOf).filter(i -> i >= 0).toArray();
    return CompiledExpression.cel(text, checked.type().get(), checked.program(), referenced);
  }
}
