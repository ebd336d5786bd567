package dev.tessera.agg.join;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.Feature;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DocumentPaths;
import dev.tessera.agg.definition.ParquetPath;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.expr.CelEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates ("compiles") a Join against the GroupBys its parts resolve to: reports every problem at
 * once with its JSON path (DESIGN.md "Joins", Validation) and, when there is none, builds the
 * {@link CompiledJoin}.
 */
public final class JoinCompiler {
  /** A part's prefix: it starts every output column of the part. */
  public static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]*");
  /** A Kafka topic name (Kafka's own rule). */
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<DataType> DERIVED_TYPES = Set.of(DataType.Primitive.LONG, DataType.Primitive.DOUBLE,
      DataType.Primitive.BOOLEAN, DataType.Primitive.STRING);

  private final Join j;
  private final JoinPaths paths;
  private final GroupByResolver resolver;
  private final List<Problem> problems = new ArrayList<>();
  /** The left schema when it can be checked against (a left with columns), else null. */
  private Map<String, DataType> leftSchema;

  private JoinCompiler(Join join, JoinPaths paths, GroupByResolver resolver) {
    this.j = join;
    this.paths = paths;
    this.resolver = resolver;
  }

  public static JoinCompileResult compile(Join join, GroupByResolver groupBys) {
    return new JoinCompiler(join, JoinPaths.identity(join), groupBys).run();
  }

  /** Reads a JSON or YAML document and compiles it; reading and semantic problems come together. */
  public static JoinCompileResult compile(String document, GroupByResolver groupBys) {
    JoinReader.Reading reading = JoinReader.reading(document);
    JoinParseResult parsed = reading.result();
    if (parsed.join() == null) return new JoinCompileResult(null, parsed.problems());
    JoinCompileResult r = new JoinCompiler(parsed.join(), reading.paths(), groupBys).run();
    if (parsed.problems().isEmpty()) return r;
    return new JoinCompileResult(null, Problem.readingThenCompiling(parsed.problems(), r.problems()));
  }

  private JoinCompileResult run() {
    if (!GroupByCompiler.NAME.matcher(j.name()).matches()) {
      problems.add(new Problem("$.name", "'" + j.name() + "' is not a valid name: lowercase letters, digits and _, "
          + "starting with a letter, at most 63 characters"));
    }
    checkLeft();
    if (j.parts().isEmpty()) {
      problems.add(new Problem("$.parts", "at least one part is required: [{groupBy: ..., keyMapping: {left column: key}}]"));
    }
    List<CompiledPart> parts = new ArrayList<>();
    for (int i = 0; i < j.parts().size(); i++) {
      CompiledPart p = part(i);
      if (p != null) parts.add(p);
    }
    List<OutputColumn> request = requestColumns();
    // every input of the derivations is known (typed) only when each part resolved with a valid
    // prefix and each request field is a left column; otherwise they are checked for syntax only,
    // so that one mistake is not reported again as an undeclared reference in every expression
    boolean inputsKnown = parts.size() == j.parts().size() && leftSchema != null && request.size() == j.request().size()
        && j.parts().stream().allMatch(p -> p.prefix() == null || PREFIX.matcher(p.prefix()).matches());
    checkCollisions(request, parts);
    List<OutputColumn> derived = new ArrayList<>();
    List<Derivations.Program> programs = new ArrayList<>();
    Map<String, DataType> inputs = new LinkedHashMap<>();
    request.forEach(c -> inputs.put(c.name(), c.type()));
    parts.forEach(p -> p.features().forEach(c -> inputs.put(c.name(), c.type())));
    CelEnvironment cel = CelEnvironment.of(inputs);
    for (int d = 0; d < j.derivations().size(); d++) {
      derivation(d, cel, inputsKnown, inputs.keySet(), derived, programs);
    }
    if (!problems.isEmpty()) return new JoinCompileResult(null, problems);
    return new JoinCompileResult(new CompiledJoin(j, parts, request, derived, new Derivations(inputs, programs)), List.of());
  }

  private void checkLeft() {
    LeftSource left = j.left();
    if (left == null) {
      problems.add(new Problem("$.left", "is required: {table, timeColumn, schema}"));
      return;
    }
    ParquetPath.checkTableOrDataset(left.table(), left.parquet(), "$.left",
        "a left table or a Parquet dataset (parquet) is required (the training set gets one row per row of it)", problems);
    if (left.topic() != null) {
      if (!TOPIC.matcher(left.topic()).matches()) {
        problems.add(new Problem("$.left.topic", "'" + left.topic() + "' is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)"));
      } else if (left.table() == null) {
        problems.add(new Problem("$.left.topic", "an ingest lands a topic in a table: a topic goes with left.table, not left.parquet"));
      }
    }
    if (left.schema().isEmpty()) {
      problems.add(new Problem("$.left.schema", "the schema has no columns"));
    } else {
      leftSchema = left.schema();
    }
    String tc = left.timeColumn();
    if (tc == null || tc.isBlank()) {
      problems.add(new Problem("$.left.timeColumn", "is required: the column with each row's time in epoch milliseconds"));
    } else if (leftSchema != null) {
      DataType t = leftSchema.get(tc);
      if (t == null) {
        problems.add(new Problem("$.left.timeColumn", "time column '" + tc + "' is not in left.schema (columns: " + columns() + ")"));
      } else if (!t.isIntegral()) {
        problems.add(new Problem("$.left.timeColumn", "time column '" + tc + "' is " + t.spec()
            + "; it must be LONG (or INT) epoch milliseconds"));
      }
    }
  }

  private String columns() {
    return String.join(", ", leftSchema.keySet());
  }

  /** Checks part {@code i}; the compiled part when its GroupBy resolved (even if it has other problems). */
  private CompiledPart part(int i) {
    JoinPart part = j.parts().get(i);
    String p = paths.part(i);
    if (part.prefix() != null && !PREFIX.matcher(part.prefix()).matches()) {
      problems.add(new Problem(p + ".prefix", "'" + part.prefix() + "' is not a valid prefix: lowercase letters, digits "
          + "and _, starting with a letter (leave it out to use the GroupBy's name)"));
    }
    String km = p + ".keyMapping";
    if (leftSchema != null) {
      part.keyMapping().keySet().stream().filter(lc -> !leftSchema.containsKey(lc)).forEach(lc -> problems.add(
          new Problem(DocumentPaths.child(km, lc), "left column '" + lc + "' is not in left.schema (columns: " + columns() + ")")));
    }
    GroupByResolver.Found found = resolve(part, p);
    if (found == null) return null;
    CompiledGroupBy g = found.compiled();
    if (j.online() && !g.definition().online()) {
      problems.add(new Problem(p + ".groupBy", "the Join is online but GroupBy '" + g.name() + "' is not: "
          + "make the GroupBy online or the Join offline"));
    }
    List<String> keys = g.keyNames();
    Map<String, String> leftOfKey = new HashMap<>();
    part.keyMapping().forEach((lc, gk) -> {
      String cp = DocumentPaths.child(km, lc);
      int k = keys.indexOf(gk);
      if (k < 0) {
        problems.add(new Problem(cp, "'" + gk + "' is not a key of GroupBy '" + g.name() + "' (keys: " + String.join(", ", keys) + ")"));
        return;
      }
      String previous = leftOfKey.putIfAbsent(gk, lc);
      if (previous != null) {
        problems.add(new Problem(cp, "GroupBy key '" + gk + "' is already mapped from left column '" + previous + "'"));
        return;
      }
      DataType lt = leftSchema == null ? null : leftSchema.get(lc);
      DataType kt = g.keyType(k);
      if (lt != null && !kind(lt).equals(kind(kt))) {
        problems.add(new Problem(cp, "left column '" + lc + "' is " + lt.spec() + " but key '" + gk + "' of GroupBy '"
            + g.name() + "' is " + kt.spec()));
      }
    });
    List<String> leftKeys = new ArrayList<>();
    for (String key : keys) {
      String lc = leftOfKey.get(key);
      if (lc == null) {
        problems.add(new Problem(km, "key '" + key + "' of GroupBy '" + g.name() + "' is not mapped: every key needs "
            + "a left column, e.g. {<left column>: " + key + "}"));
      }
      leftKeys.add(lc);
    }
    List<OutputColumn> features = new ArrayList<>();
    for (Feature f : g.features()) features.add(OutputColumn.feature(part.outputName(f.name()), f.type(), i, f.name()));
    return new CompiledPart(i, part, found.version(), g, leftKeys.contains(null) ? List.of() : leftKeys, features);
  }

  /** The part's GroupBy, or null after reporting why it cannot be used. */
  private GroupByResolver.Found resolve(JoinPart part, String p) {
    if (part.version() != null && part.version() < 1) {
      problems.add(new Problem(p + ".version", "must be a whole number >= 1 (leave it out to follow the live version)"));
      return null;
    }
    if (part.groupBy().isBlank()) {
      problems.add(new Problem(p + ".groupBy", "is required"));
      return null;
    }
    GroupByResolver.Resolution r = resolveSafely(part.groupBy(), part.version());
    if (r instanceof GroupByResolver.Found f) return f;
    String reason = ((GroupByResolver.Missing) r).reason();
    // a pinned version of a GroupBy that exists is the version's problem; else the GroupBy's
    boolean groupByExists = part.version() != null && resolveSafely(part.groupBy(), null) instanceof GroupByResolver.Found;
    problems.add(new Problem(p + (groupByExists ? ".version" : ".groupBy"), reason));
    return null;
  }

  private GroupByResolver.Resolution resolveSafely(String name, Integer version) {
    try {
      GroupByResolver.Resolution r = resolver.resolve(name, version);
      return r != null ? r : new GroupByResolver.Missing("unknown GroupBy '" + name + "'");
    } catch (RuntimeException e) {
      return new GroupByResolver.Missing("GroupBy '" + name + "' could not be looked up: " + e.getMessage());
    }
  }

  /** INT and LONG are one kind (both carried as Long), FLOAT and DOUBLE another (Double). */
  private static String kind(DataType t) {
    if (t.isIntegral()) return "integer";
    if (t == DataType.Primitive.FLOAT || t == DataType.Primitive.DOUBLE) return "floating";
    return t.spec();
  }

  private List<OutputColumn> requestColumns() {
    List<OutputColumn> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < j.request().size(); i++) {
      String field = j.request().get(i);
      String p = paths.request(i);
      if (!seen.add(field)) {
        problems.add(new Problem(p, "request field '" + field + "' is listed twice"));
        continue;
      }
      if (leftSchema == null) continue;
      DataType t = leftSchema.get(field);
      if (t == null) {
        problems.add(new Problem(p, "request field '" + field + "' is not a column of left.schema (columns: " + columns() + ")"));
        continue;
      }
      out.add(OutputColumn.request(field, t));
    }
    return out;
  }

  /** Every output name is unique: request fields, then the parts' features, then the derivations. */
  private void checkCollisions(List<OutputColumn> request, List<CompiledPart> parts) {
    Map<String, String> origin = new HashMap<>();
    for (int i = 0; i < request.size(); i++) {
      origin.put(request.get(i).name(), "request field '" + request.get(i).name() + "' (" + paths.request(j.request().indexOf(request.get(i).name())) + ")");
    }
    for (CompiledPart part : parts) {
      String p = paths.part(part.index());
      if (part.part().prefix() != null && !PREFIX.matcher(part.part().prefix()).matches()) continue;
      Map<String, List<String>> collisions = new LinkedHashMap<>();
      for (OutputColumn c : part.features()) {
        String other = origin.putIfAbsent(c.name(), "part " + part.index() + " (" + p + ", '" + part.name() + "')");
        if (other != null) collisions.computeIfAbsent(other, x -> new ArrayList<>()).add(c.name());
      }
      collisions.forEach((other, names) -> problems.add(new Problem(p + ".prefix", "output column"
          + (names.size() > 1 ? "s " : " ") + String.join(", ", names) + " of part " + part.index() + " ('" + part.name()
          + "') also " + (names.size() > 1 ? "come" : "comes") + " from " + other + ": give one of them a different prefix")));
    }
    for (int d = 0; d < j.derivations().size(); d++) {
      String name = j.derivations().get(d).name();
      String p = paths.derivation(d);
      String other = origin.putIfAbsent(name, "derivation '" + name + "' (" + p + ")");
      if (other != null) {
        problems.add(new Problem(p + ".name", "derivation '" + name + "' has the name of " + other + "; every output column needs its own name"));
      }
    }
  }

  private void derivation(int d, CelEnvironment cel, boolean inputsKnown, Set<String> inputs, List<OutputColumn> derived,
      List<Derivations.Program> programs) {
    Derivation dv = j.derivations().get(d);
    String p = paths.derivation(d);
    if (!GroupByCompiler.NAME.matcher(dv.name()).matches()) {
      problems.add(new Problem(p + ".name", "'" + dv.name() + "' is not a valid derivation name: lowercase letters, "
          + "digits and _, starting with a letter, at most 63 characters"));
    }
    String text = dv.expression().strip();
    String ep = p + ".expression";
    if (text.isEmpty()) {
      problems.add(new Problem(ep, "the expression is empty"));
      return;
    }
    if (!inputsKnown) {
      cel.syntaxError(text).ifPresent(e -> problems.add(new Problem(ep, e)));
      return;
    }
    CelEnvironment.Outcome outcome = cel.compile(text);
    if (!outcome.ok()) {
      List<String> derivedNames = cel.identifiers(text).stream().filter(n -> !inputs.contains(n))
          .filter(n -> j.derivations().stream().anyMatch(o -> o.name().equals(n))).toList();
      String hint = derivedNames.isEmpty() ? "" : " (a derivation reads request fields and features only, not other "
          + "derivations such as " + String.join(", ", derivedNames) + ": repeat its expression instead)";
      problems.add(new Problem(ep, outcome.error() + hint));
      return;
    }
    var checked = outcome.checked();
    DataType type = checked.type().orElse(null);
    if (type == null || !DERIVED_TYPES.contains(type)) {
      problems.add(new Problem(ep, "CEL: '" + text + "' has type " + checked.typeText()
          + "; a derivation must give an int, double, bool or string"));
      return;
    }
    derived.add(OutputColumn.derived(dv.name(), type));
    programs.add(new Derivations.Program(dv.name(), checked.program(), checked.referenced()));
  }
}
