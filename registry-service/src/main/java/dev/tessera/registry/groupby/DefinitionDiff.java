package dev.tessera.registry.groupby;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.Aggregation;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DurationSpec;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByWriter;
import dev.tessera.agg.definition.Source;
import dev.tessera.agg.definition.Window;
import dev.tessera.registry.definition.LineDiff;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changed between two versions of a GroupBy, in the terms a user thinks in: keys added or
 * removed, sources changed field by field, aggregations added, removed or changed (matched by input
 * column and operation), the output features that appear or disappear, and a line diff of the
 * canonical YAML for everything else. Pure: built from two definitions.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DefinitionDiff(String name, int from, int to, boolean sameComputation, List<FieldChange> metadata,
    ListChange keys, List<ElementChange> sources, List<ElementChange> aggregations, ListChange features,
    List<FieldChange> featureTypes, List<LineDiff.Line> document) {

  /** Lines of unchanged context kept around each change in {@link #document}. */
  public static final int CONTEXT_LINES = 3;

  /** A field that differs; values as the definition writes them (null: absent). */
  public record FieldChange(String field, String from, String to) {}

  /** Members of a list that appear or disappear; {@code reordered} when only the order differs. */
  public record ListChange(List<String> added, List<String> removed, boolean reordered) {
    public boolean isEmpty() {
      return added.isEmpty() && removed.isEmpty() && !reordered;
    }
  }

  public enum Kind { ADDED, REMOVED, CHANGED, MOVED }

  /**
   * A source or aggregation that was added, removed, changed or moved; indices are positions in
   * the {@code from} and {@code to} definitions (null on the side where it does not exist).
   */
  public record ElementChange(Kind kind, Integer fromIndex, Integer toIndex, String summary, List<FieldChange> changes) {}

  public boolean isEmpty() {
    return metadata.isEmpty() && keys.isEmpty() && sources.isEmpty() && aggregations.isEmpty();
  }

  public static DefinitionDiff between(String name, int fromVersion, GroupBy a, int toVersion, GroupBy b) {
    Map<String, DataType> fa = features(a);
    Map<String, DataType> fb = features(b);
    return new DefinitionDiff(name, fromVersion, toVersion, a.sameComputation(b), metadata(a, b),
        listChange(a.keys(), b.keys()), sources(a.sources(), b.sources()), aggregations(a.aggregations(), b.aggregations()),
        featureNames(fa, fb), featureTypes(fa, fb),
        LineDiff.diff(GroupByWriter.toYaml(a), GroupByWriter.toYaml(b), CONTEXT_LINES));
  }

  private static List<FieldChange> metadata(GroupBy a, GroupBy b) {
    List<FieldChange> out = new ArrayList<>();
    field(out, "team", a.team(), b.team());
    field(out, "description", a.description(), b.description());
    field(out, "online", String.valueOf(a.online()), String.valueOf(b.online()));
    field(out, "streaming.watermarkDelay", DurationSpec.format(a.streaming().watermarkDelay()),
        DurationSpec.format(b.streaming().watermarkDelay()));
    field(out, "streaming.allowedLateness", DurationSpec.format(a.streaming().allowedLateness()),
        DurationSpec.format(b.streaming().allowedLateness()));
    return out;
  }

  private static void field(List<FieldChange> out, String field, String from, String to) {
    if (!Objects.equals(from, to)) out.add(new FieldChange(field, from, to));
  }

  static ListChange listChange(List<String> from, List<String> to) {
    Set<String> f = new LinkedHashSet<>(from);
    Set<String> t = new LinkedHashSet<>(to);
    List<String> added = to.stream().filter(x -> !f.contains(x)).distinct().toList();
    List<String> removed = from.stream().filter(x -> !t.contains(x)).distinct().toList();
    boolean reordered = added.isEmpty() && removed.isEmpty() && !from.equals(to);
    return new ListChange(added, removed, reordered);
  }

  private static List<ElementChange> sources(List<Source> from, List<Source> to) {
    List<ElementChange> out = new ArrayList<>();
    for (int i = 0; i < Math.max(from.size(), to.size()); i++) {
      if (i >= to.size()) {
        out.add(new ElementChange(Kind.REMOVED, i, null, sourceSummary(from.get(i)), List.of()));
      } else if (i >= from.size()) {
        out.add(new ElementChange(Kind.ADDED, null, i, sourceSummary(to.get(i)), List.of()));
      } else if (!from.get(i).equals(to.get(i))) {
        out.add(new ElementChange(Kind.CHANGED, i, i, sourceSummary(to.get(i)), sourceFields((EventSource) from.get(i), (EventSource) to.get(i))));
      }
    }
    return out;
  }

  private static List<FieldChange> sourceFields(EventSource a, EventSource b) {
    List<FieldChange> out = new ArrayList<>();
    field(out, "table", a.table(), b.table());
    field(out, "topic", a.topic(), b.topic());
    mapFields(out, "schema", specs(a.schema()), specs(b.schema()));
    mapFields(out, "query.selects", a.query().selects(), b.query().selects());
    ListChange wheres = listChange(a.query().wheres(), b.query().wheres());
    wheres.removed().forEach(w -> out.add(new FieldChange("query.wheres", w, null)));
    wheres.added().forEach(w -> out.add(new FieldChange("query.wheres", null, w)));
    if (wheres.reordered()) out.add(new FieldChange("query.wheres", String.join(" && ", a.query().wheres()), String.join(" && ", b.query().wheres())));
    field(out, "query.timeColumn", a.query().timeColumn(), b.query().timeColumn());
    return out;
  }

  private static Map<String, String> specs(Map<String, DataType> schema) {
    Map<String, String> m = new LinkedHashMap<>();
    schema.forEach((k, v) -> m.put(k, v.spec()));
    return m;
  }

  /** One change per key that was added, removed or whose value changed: {@code schema.amount}. */
  private static void mapFields(List<FieldChange> out, String prefix, Map<String, String> a, Map<String, String> b) {
    for (var e : a.entrySet()) {
      String other = b.get(e.getKey());
      if (!e.getValue().equals(other)) out.add(new FieldChange(prefix + "." + e.getKey(), e.getValue(), other));
    }
    for (var e : b.entrySet()) {
      if (!a.containsKey(e.getKey())) out.add(new FieldChange(prefix + "." + e.getKey(), null, e.getValue()));
    }
  }

  /**
   * Matches identical aggregations first (reporting a changed position as MOVED, because the order
   * is part of the stored layout), then the rest by input column and operation (CHANGED: windows,
   * buckets or args differ); what is left was added or removed.
   */
  private static List<ElementChange> aggregations(List<Aggregation> from, List<Aggregation> to) {
    Integer[] matchOf = new Integer[to.size()];
    boolean[] used = new boolean[from.size()];
    for (int j = 0; j < to.size(); j++) {
      if (j < from.size() && !used[j] && from.get(j).equals(to.get(j))) {
        matchOf[j] = j;
        used[j] = true;
      }
    }
    for (int j = 0; j < to.size(); j++) {
      if (matchOf[j] != null) continue;
      for (int i = 0; i < from.size(); i++) {
        if (!used[i] && from.get(i).equals(to.get(j))) {
          matchOf[j] = i;
          used[i] = true;
          break;
        }
      }
    }
    List<ElementChange> out = new ArrayList<>();
    for (int j = 0; j < to.size(); j++) {
      if (matchOf[j] != null) {
        if (matchOf[j] != j) out.add(new ElementChange(Kind.MOVED, matchOf[j], j, aggregationSummary(to.get(j)), List.of()));
        continue;
      }
      Aggregation b = to.get(j);
      Integer similar = null;
      for (int i = 0; i < from.size() && similar == null; i++) {
        Aggregation a = from.get(i);
        if (!used[i] && a.inputColumn().equals(b.inputColumn()) && a.operation() == b.operation()) similar = i;
      }
      if (similar != null) {
        used[similar] = true;
        out.add(new ElementChange(Kind.CHANGED, similar, j, aggregationSummary(b), aggregationFields(from.get(similar), b)));
      } else {
        out.add(new ElementChange(Kind.ADDED, null, j, aggregationSummary(b), List.of()));
      }
    }
    for (int i = 0; i < from.size(); i++) {
      if (!used[i]) out.add(new ElementChange(Kind.REMOVED, i, null, aggregationSummary(from.get(i)), List.of()));
    }
    return out;
  }

  private static List<FieldChange> aggregationFields(Aggregation a, Aggregation b) {
    List<FieldChange> out = new ArrayList<>();
    ListChange windows = listChange(a.windows().stream().map(Window::spec).toList(), b.windows().stream().map(Window::spec).toList());
    windows.removed().forEach(w -> out.add(new FieldChange("windows", w, null)));
    windows.added().forEach(w -> out.add(new FieldChange("windows", null, w)));
    if (windows.reordered()) out.add(new FieldChange("windows", String.join(", ", specs(a.windows())), String.join(", ", specs(b.windows()))));
    ListChange buckets = listChange(a.buckets(), b.buckets());
    buckets.removed().forEach(x -> out.add(new FieldChange("buckets", x, null)));
    buckets.added().forEach(x -> out.add(new FieldChange("buckets", null, x)));
    mapFields(out, "args", a.args(), b.args());
    return out;
  }

  private static List<String> specs(List<Window> windows) {
    return windows.stream().map(Window::spec).toList();
  }

  static String aggregationSummary(Aggregation a) {
    String s = a.operation().name() + "(" + a.inputColumn() + ")";
    s += a.windows().isEmpty() ? " over lifetime" : " over " + String.join(", ", specs(a.windows()));
    if (!a.buckets().isEmpty()) s += " by " + String.join(", ", a.buckets());
    if (!a.args().isEmpty()) s += " " + a.args();
    return s;
  }

  static String sourceSummary(Source s) {
    EventSource e = (EventSource) s;
    List<String> parts = new ArrayList<>();
    if (e.table() != null) parts.add("table " + e.table());
    if (e.topic() != null) parts.add("topic " + e.topic());
    return "events from " + (parts.isEmpty() ? "(no table or topic)" : String.join(", ", parts));
  }

  /** Null when either side no longer compiles (then only the other parts of the diff are shown). */
  private static ListChange featureNames(Map<String, DataType> fa, Map<String, DataType> fb) {
    if (fa == null || fb == null) return null;
    return listChange(List.copyOf(fa.keySet()), List.copyOf(fb.keySet()));
  }

  private static List<FieldChange> featureTypes(Map<String, DataType> fa, Map<String, DataType> fb) {
    if (fa == null || fb == null) return null;
    List<FieldChange> out = new ArrayList<>();
    fa.forEach((name, type) -> {
      DataType other = fb.get(name);
      if (other != null && !other.equals(type)) out.add(new FieldChange(name, type.spec(), other.spec()));
    });
    return out;
  }

  private static Map<String, DataType> features(GroupBy g) {
    CompileResult r = GroupByCompiler.compile(g);
    if (!r.ok()) return null;
    Map<String, DataType> m = new LinkedHashMap<>();
    for (Feature f : r.compiled().features()) m.put(f.name(), f.type());
    return m;
  }
}
