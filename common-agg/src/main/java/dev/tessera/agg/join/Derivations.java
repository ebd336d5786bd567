package dev.tessera.agg.join;

import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;
import dev.tessera.agg.definition.DataType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checked CEL programs of a Join's derivations, compiled once and run on training rows and
 * fetched rows alike (DESIGN-joins.md "Derivations"): when a name the expression reads is null the
 * result is null and the program is not run; a non-finite double is null; an evaluation error is
 * null and counted. Immutable and thread-safe; nothing is compiled or looked up by text per row
 * beyond the variable names CEL asks for.
 *
 * <p>The values a derivation reads are the <em>inputs</em>: the request fields, then every part's
 * features, in {@link CompiledJoin#outputColumns()} order (the derived columns follow them there).
 */
final class Derivations {
  /** One compiled derivation: its program and the input slots it reads. */
  record Program(String name, CelRuntime.Program program, Set<String> referenced) {}

  private final String[] inputNames;
  private final DataType[] types;
  private final Map<String, Integer> slotByName;
  private final String[] names;
  private final CelRuntime.Program[] programs;
  private final int[][] reads;
  /** The input slots any derivation reads: the only ones {@link #evaluate(Map)} has to copy. */
  private final int[] used;

  /**
   * @param inputs the inputs (request fields, then features) with their types, in order
   * @param programs the derivations, in definition order; every name they reference is an input
   */
  Derivations(Map<String, DataType> inputs, List<Program> programs) {
    this.inputNames = inputs.keySet().toArray(String[]::new);
    this.types = inputs.values().toArray(DataType[]::new);
    this.slotByName = new HashMap<>();
    for (int i = 0; i < inputNames.length; i++) slotByName.put(inputNames[i], i);
    this.names = programs.stream().map(Program::name).toArray(String[]::new);
    this.programs = programs.stream().map(Program::program).toArray(CelRuntime.Program[]::new);
    this.reads = new int[programs.size()][];
    boolean[] read = new boolean[inputNames.length];
    for (int d = 0; d < reads.length; d++) {
      reads[d] = programs.get(d).referenced().stream().map(slotByName::get)
          .filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).toArray();
      for (int s : reads[d]) read[s] = true;
    }
    List<Integer> usedSlots = new ArrayList<>();
    for (int i = 0; i < read.length; i++) if (read[i]) usedSlots.add(i);
    this.used = usedSlots.stream().mapToInt(Integer::intValue).toArray();
  }

  int inputCount() {
    return inputNames.length;
  }

  /** Per derivation, in definition order, its name and the inputs its checked expression reads. */
  Map<String, Set<String>> inputsRead() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (int d = 0; d < names.length; d++) {
      Set<String> read = new java.util.LinkedHashSet<>();
      for (int s : reads[d]) read.add(inputNames[s]);
      out.put(names[d], java.util.Collections.unmodifiableSet(read));
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  int size() {
    return names.length;
  }

  /**
   * Widens the inputs of {@code values} in place (Integer, Short, Byte to Long in integral columns,
   * any number to Double in floating ones, the same inside lists and maps), so that CEL and the
   * row's reader see the forms of DESIGN.md whatever a pipeline handed over.
   */
  void widenInputs(Object[] values) {
    for (int i = 0; i < inputNames.length; i++) values[i] = widen(values[i], types[i]);
  }

  /**
   * Runs every derivation on {@code values}, whose first {@link #inputCount()} elements are the
   * (widened) inputs, and stores derivation {@code d}'s result at {@code inputCount() + d}.
   *
   * @return how many evaluations failed
   */
  int evaluate(Object[] values) {
    int failures = 0;
    int base = inputNames.length;
    CelVariableResolver resolver = name -> {
      Integer slot = slotByName.get(name);
      return slot == null ? Optional.empty() : Optional.ofNullable(values[slot]);
    };
    for (int d = 0; d < programs.length; d++) {
      Object result = null;
      if (!readsNull(values, reads[d])) {
        try {
          result = finite(programs[d].eval(resolver));
        } catch (Exception e) { // CelEvaluationException, or a runtime failure inside a function
          failures++;
        }
      }
      values[base + d] = result;
    }
    return failures;
  }

  /** Puts every derivation's value into {@code row}; returns the number of failed evaluations. */
  int evaluate(Map<String, Object> row) {
    Object[] values = new Object[inputNames.length + names.length];
    for (int s : used) values[s] = widen(row.get(inputNames[s]), types[s]);
    int failures = evaluate(values);
    for (int d = 0; d < names.length; d++) row.put(names[d], values[inputNames.length + d]);
    return failures;
  }

  private static boolean readsNull(Object[] values, int[] slots) {
    for (int s : slots) {
      if (values[s] == null) return true;
    }
    return false;
  }

  private static Object finite(Object result) {
    return result instanceof Double d && !Double.isFinite(d) ? null : result;
  }

  /** {@code v} in the Java form of {@code type} (null: unknown, then only Integer/Short/Byte/Float widen). */
  static Object widen(Object v, DataType type) {
    if (v == null || v instanceof String || v instanceof Boolean) return v;
    if (v instanceof Number n) {
      if (type == DataType.Primitive.DOUBLE || type == DataType.Primitive.FLOAT) return v instanceof Double ? v : n.doubleValue();
      if (v instanceof Integer || v instanceof Short || v instanceof Byte) return n.longValue();
      return v instanceof Float f ? f.doubleValue() : v;
    }
    if (v instanceof List<?> list) return widenList(list, type instanceof DataType.ListType l ? l.element() : null);
    if (v instanceof Map<?, ?> map) return widenMap(map, type instanceof DataType.MapType m ? m.value() : null);
    return v;
  }

  /** The list itself when nothing in it needs widening (the usual case), else a widened copy. */
  private static List<?> widenList(List<?> list, DataType element) {
    for (Object e : list) {
      if (widen(e, element) != e) {
        List<Object> copy = new ArrayList<>(list.size());
        for (Object x : list) copy.add(widen(x, element));
        return copy;
      }
    }
    return list;
  }

  private static Map<?, ?> widenMap(Map<?, ?> map, DataType value) {
    for (Object e : map.values()) {
      if (widen(e, value) != e) {
        Map<Object, Object> copy = new LinkedHashMap<>();
        map.forEach((k, x) -> copy.put(k, widen(x, value)));
        return copy;
      }
    }
    return map;
  }
}
