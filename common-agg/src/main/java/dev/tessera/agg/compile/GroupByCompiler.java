package dev.tessera.agg.compile;

import dev.tessera.agg.definition.Aggregation;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DocumentPaths;
import dev.tessera.agg.definition.DurationSpec;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.ParseResult;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.definition.Source;
import dev.tessera.agg.definition.Window;
import dev.tessera.agg.expr.CompiledSource;
import dev.tessera.agg.expr.SourceCompiler;
import dev.tessera.agg.op.Aggregators;
import dev.tessera.agg.op.OperationArgs;
import dev.tessera.agg.row.AggColumn;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowSchema;
import dev.tessera.agg.window.Windows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validates ("compiles") a GroupBy: reports every problem at once, each with the JSON path of what
 * the user wrote, and, when there is none, builds the {@link CompiledGroupBy}.
 */
public final class GroupByCompiler {
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  /**
   * The most aggregations one GroupBy may have. Every one is an IR in every tile and batch IR of
   * every entity: issue 21 registered 15,000, which every pipeline and fetch would then carry.
   */
  public static final int MAX_AGGREGATIONS = 500;
  /** The most features (aggregation x window) one GroupBy may produce. */
  public static final int MAX_FEATURES = 2000;

  private final GroupBy g;
  private final DocumentPaths paths;
  private final List<Problem> problems = new ArrayList<>();
  /** The columns the sources produce; null when no source's selects compiled. */
  private RowSchema schema;

  private GroupByCompiler(GroupBy g, DocumentPaths paths) {
    this.g = g;
    this.paths = paths;
  }

  public static CompileResult compile(GroupBy groupBy) {
    return compile(groupBy, DocumentPaths.identity(groupBy));
  }

  public static CompileResult compile(GroupBy groupBy, DocumentPaths paths) {
    return new GroupByCompiler(groupBy, paths).run();
  }

  /** Reads a JSON or YAML document and compiles it; reading and semantic problems come together. */
  public static CompileResult compile(String document) {
    return compile(GroupByReader.read(document));
  }

  public static CompileResult compile(ParseResult parsed) {
    if (parsed.groupBy() == null) {
      return new CompileResult(null, parsed.problems());
    }
    CompileResult r = compile(parsed.groupBy(), parsed.paths());
    if (parsed.problems().isEmpty()) return r;
    return new CompileResult(null, Problem.readingThenCompiling(parsed.problems(), r.problems()));
  }

  private CompileResult run() {
    if (!NAME.matcher(g.name()).matches()) {
      problems.add(new Problem("$.name", "'" + g.name() + "' is not a valid name: lowercase letters, digits and _, starting with a letter, at most 63 characters"));
    }
    List<CompiledSource> sources = compileSources();
    int[] keyColumns = checkKeys(schema);
    List<AggColumn> columns = new ArrayList<>();
    List<Feature> features = new ArrayList<>();
    if (g.aggregations().size() > MAX_AGGREGATIONS) {
      problems.add(new Problem("$.aggregations", g.aggregations().size() + " aggregations; a GroupBy may have at most " + MAX_AGGREGATIONS
          + " (split it into several GroupBys)"));
      return new CompileResult(null, List.copyOf(problems));
    }
    long featureCount = g.aggregations().stream().mapToLong(a -> Math.max(1, a.windows().size())).sum();
    if (featureCount > MAX_FEATURES) {
      problems.add(new Problem("$.aggregations", featureCount + " features (aggregations x windows); a GroupBy may produce at most "
          + MAX_FEATURES));
      return new CompileResult(null, List.copyOf(problems));
    }
    if (g.aggregations().isEmpty()) {
      problems.add(new Problem("$.aggregations", "at least one aggregation is required"));
    }
    buildColumns(columns, features);
    checkStreaming();
    if (!problems.isEmpty() || schema == null) {
      return new CompileResult(null, problems);
    }
    List<CompiledSource> aligned = sources.stream().map(s -> s.reorderedTo(schema)).toList();
    RowAggregator aggregator = new RowAggregator(columns);
    List<WindowGroup> groups = windowGroups(features);
    List<Window> windows = g.aggregations().stream().flatMap(a -> a.windows().stream()).toList();
    return new CompileResult(new CompiledGroupBy(g, aligned, schema, keyColumns, aggregator, features, groups,
        Windows.tileSize(windows)), List.of());
  }

  private List<CompiledSource> compileSources() {
    List<CompiledSource> out = new ArrayList<>();
    if (g.sources().isEmpty()) {
      problems.add(new Problem("$.sources", "at least one source is required"));
      return out;
    }
    RowSchema first = null;
    for (int i = 0; i < g.sources().size(); i++) {
      Source s = g.sources().get(i);
      String p = paths.source(i) + ".events";
      EventSource ev = (EventSource) s;
      if (g.online() && (ev.topic() == null || ev.topic().isBlank())) {
        problems.add(new Problem(p + ".topic", "an online GroupBy needs a Kafka topic on every source (the stream side reads it)"));
      }
      var c = SourceCompiler.compile(ev, p);
      problems.addAll(c.problems());
      RowSchema out1 = c.columns();
      if (out1 == null) continue;
      if (first == null) {
        first = out1;
      } else if (!first.asMap().equals(out1.asMap())) {
        problems.add(new Problem(p + ".query.selects", "every source must produce the same columns; this one gives "
            + columnsText(out1) + " but the first gives " + columnsText(first)));
        continue;
      }
      if (c.source() != null) out.add(c.source());
    }
    schema = first;
    return out;
  }

  /** {@code {user_id: STRING, tags: LIST<STRING>}}: the types as a definition writes them. */
  private static String columnsText(RowSchema s) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) parts.add(s.name(i) + ": " + s.type(i).spec());
    return "{" + String.join(", ", parts) + "}";
  }

  private int[] checkKeys(RowSchema schema) {
    if (g.keys().isEmpty()) {
      problems.add(new Problem("$.keys", "at least one key column is required, e.g. [user_id]"));
    }
    int[] idx = new int[g.keys().size()];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < g.keys().size(); i++) {
      String k = g.keys().get(i);
      String p = "$.keys[" + i + "]";
      if (!seen.add(k)) problems.add(new Problem(p, "key '" + k + "' is listed twice"));
      if (schema == null) continue;
      idx[i] = schema.indexOf(k);
      if (idx[i] < 0) {
        problems.add(new Problem(p, "key '" + k + "' is not a selected column (columns: " + String.join(", ", schema.names()) + ")"));
      } else {
        DataType t = schema.type(idx[i]);
        if (!(t == DataType.Primitive.STRING || t.isIntegral() || t == DataType.Primitive.BOOLEAN)) {
          problems.add(new Problem(p, "key '" + k + "' is " + t.spec() + "; keys must be STRING, INT, LONG or BOOLEAN"));
        }
      }
    }
    return idx;
  }

  /**
   * Checks the aggregations and, when there is no problem at all, builds their IR columns and
   * features. Without a schema (no source compiled) only the checks that need no columns run.
   */
  private void buildColumns(List<AggColumn> columns, List<Feature> features) {
    Map<String, String> featureOrigin = new HashMap<>();
    for (int i = 0; i < g.aggregations().size(); i++) {
      Aggregation a = g.aggregations().get(i);
      String p = paths.aggregation(i);
      int input = schema == null ? -1 : schema.indexOf(a.inputColumn());
      DataType inputType = null;
      if (schema == null) {
        // the columns are unknown: a source has problems, reported already
      } else if (input < 0) {
        problems.add(new Problem(p + ".inputColumn", "unknown column '" + a.inputColumn() + "' (columns: " + String.join(", ", schema.names()) + ")"));
      } else {
        inputType = schema.type(input);
        if (!a.operation().accepts(inputType)) {
          problems.add(new Problem(p + ".operation", a.operation() + " needs " + a.operation().acceptedDescription()
              + ", but '" + a.inputColumn() + "' is " + inputType.spec()));
          inputType = null;
        }
      }
      OperationArgs.problems(a.operation(), a.args()).forEach((arg, msg) -> problems.add(new Problem(DocumentPaths.child(p + ".args", arg), msg)));
      Set<String> windowSpecs = new HashSet<>();
      List<Window> distinctWindows = new ArrayList<>();
      for (int w = 0; w < a.windows().size(); w++) {
        if (windowSpecs.add(a.windows().get(w).spec())) {
          distinctWindows.add(a.windows().get(w));
        } else {
          problems.add(new Problem(paths.window(i, w), "window " + a.windows().get(w).spec() + " is listed twice"));
        }
      }
      List<String> buckets = a.buckets().isEmpty() ? java.util.Collections.singletonList(null) : a.buckets();
      Set<String> bucketNames = new HashSet<>();
      for (int b = 0; b < buckets.size(); b++) {
        String bucket = buckets.get(b);
        int bucketIndex = -1;
        if (bucket != null) {
          String bp = p + ".buckets[" + b + "]";
          if (!bucketNames.add(bucket)) {
            problems.add(new Problem(bp, "bucket column '" + bucket + "' is listed twice"));
            continue;
          }
          if (schema == null) continue;
          bucketIndex = schema.indexOf(bucket);
          if (bucketIndex < 0) {
            problems.add(new Problem(bp, "unknown bucket column '" + bucket + "' (columns: " + String.join(", ", schema.names()) + ")"));
            continue;
          }
          DataType bt = schema.type(bucketIndex);
          if (!(bt == DataType.Primitive.STRING || bt.isIntegral() || bt == DataType.Primitive.BOOLEAN)) {
            problems.add(new Problem(bp, "bucket column '" + bucket + "' is " + bt.spec() + "; buckets must be STRING, INT, LONG or BOOLEAN"));
            continue;
          }
        }
        // a window listed twice is reported above, not again as a duplicate feature name
        List<Window> windows = a.isLifetime() ? java.util.Collections.singletonList(null) : distinctWindows;
        for (Window w : windows) {
          String name = Feature.name(a.inputColumn(), a.operation().lowerName(), w, bucket);
          String previous = featureOrigin.putIfAbsent(name, p);
          if (previous != null) {
            problems.add(new Problem(p, "feature name '" + name + "' is also produced by " + previous));
          }
        }
        if (inputType == null || !problems.isEmpty()) continue;
        DataType out = a.operation().outputType(inputType);
        AggColumn col = new AggColumn(columns.size(), i, a, bucket, input, bucketIndex, inputType, out,
            Aggregators.create(a.operation(), inputType, a.args()));
        columns.add(col);
        DataType featureType = bucket == null ? out : new DataType.MapType(out);
        for (Window w : windows) {
          features.add(new Feature(Feature.name(a.inputColumn(), a.operation().lowerName(), w, bucket), col.index(), w, featureType));
        }
      }
    }
  }

  private void checkStreaming() {
    var s = g.streaming();
    if (s.watermarkDelay().compareTo(s.allowedLateness()) > 0) {
      problems.add(new Problem("$.streaming.watermarkDelay", "watermarkDelay (" + DurationSpec.format(s.watermarkDelay())
          + ") must not exceed allowedLateness (" + DurationSpec.format(s.allowedLateness()) + ")"));
    }
  }

  private static List<WindowGroup> windowGroups(List<Feature> features) {
    Map<Long, List<Feature>> byLength = new TreeMap<>();
    for (Feature f : features) {
      long millis = f.isLifetime() ? Windows.LIFETIME : f.window().millis();
      byLength.computeIfAbsent(millis, x -> new ArrayList<>()).add(f);
    }
    List<WindowGroup> groups = new ArrayList<>();
    byLength.forEach((millis, fs) -> {
      int[] cols = fs.stream().mapToInt(Feature::column).distinct().sorted().toArray();
      groups.add(new WindowGroup(millis, cols, fs));
    });
    return groups;
  }
}
