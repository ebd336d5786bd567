package dev.tessera.agg.join;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A valid Join, compiled against the GroupBy versions its parts resolved to: the output columns
 * with their types and the derivations' checked CEL programs. Immutable and thread-safe; the
 * training set and the online fetch both build their rows from one of these, and both run
 * {@link #derive} on them, so a derived value cannot differ between the two.
 */
public final class CompiledJoin {
  private final Join definition;
  private final List<CompiledPart> parts;
  private final List<OutputColumn> request;
  private final List<OutputColumn> derived;
  private final Derivations derivations;
  /** Output column names in order, and per FEATURE column the GroupBy's own feature name. */
  private final String[] columnNames;
  private final String[] featureNames;
  private final int[] featureParts;

  CompiledJoin(Join definition, List<CompiledPart> parts, List<OutputColumn> request, List<OutputColumn> derived,
      Derivations derivations) {
    this.definition = definition;
    this.parts = List.copyOf(parts);
    this.request = List.copyOf(request);
    this.derived = List.copyOf(derived);
    this.derivations = derivations;
    List<OutputColumn> columns = outputColumns();
    this.columnNames = columns.stream().map(OutputColumn::name).toArray(String[]::new);
    List<OutputColumn> features = featureColumns();
    this.featureNames = features.stream().map(OutputColumn::feature).toArray(String[]::new);
    this.featureParts = features.stream().mapToInt(OutputColumn::part).toArray();
  }

  public Join definition() { return definition; }
  public String name() { return definition.name(); }
  public List<CompiledPart> parts() { return parts; }
  /** The request fields, typed by the left schema. */
  public List<OutputColumn> requestColumns() { return request; }
  /** The derived columns, typed by their CEL result type. */
  public List<OutputColumn> derivedColumns() { return derived; }

  /** The parts' feature columns, in part order. */
  public List<OutputColumn> featureColumns() {
    List<OutputColumn> all = new ArrayList<>();
    parts.forEach(p -> all.addAll(p.features()));
    return all;
  }

  /**
   * Every output column of a fetch, in order: request fields, then the parts' features, then the
   * derivations. A training-set row has the left table's columns (the request fields among them)
   * in their place.
   */
  public List<OutputColumn> outputColumns() {
    List<OutputColumn> all = new ArrayList<>(request);
    all.addAll(featureColumns());
    all.addAll(derived);
    return all;
  }

  /** The left columns any part maps to a GroupBy key, in order of first use: what an online request must hold. */
  public Set<String> keyColumns() {
    Set<String> keys = new LinkedHashSet<>();
    parts.forEach(p -> keys.addAll(p.leftKeyColumns()));
    return keys;
  }

  /**
   * What each derivation reads: derived column name -> the request fields and feature columns its
   * type-checked expression references (not a text search: a name inside a string literal is not
   * read). A pipeline reads only these to derive, and a check blames a derived value on them.
   */
  public Map<String, Set<String>> derivationInputs() {
    return derivations.inputsRead();
  }

  /**
   * Evaluates the derivations on a row that holds the request fields and every part's features by
   * output name, and puts each result into it (DESIGN.md "Joins", Derivations: null when a name the
   * expression reads is null, when the result is a non-finite double, or when evaluation fails).
   *
   * @return how many evaluations failed (counted by the caller's metrics)
   */
  public int derive(Map<String, Object> row) {
    return derivations.evaluate(row);
  }

  /**
   * Builds one output row: the one place where the training set and the online fetch assemble a
   * Join row, so their columns and derived values cannot differ.
   *
   * @param request the value of a request field by name (a left column offline, a request field
   *     online); asked only for the request fields
   * @param partFeatures per part (same order as {@link #parts()}), its features keyed by the
   *     GroupBy's own feature name, or null for an unknown entity (a null key): every feature of
   *     that part is then null, counts included
   * @return the values in {@link #outputColumns()} order (a new LinkedHashMap) and the number of
   *     derivations that failed on this row
   */
  public JoinRow row(Function<String, Object> request, List<? extends Map<String, ?>> partFeatures) {
    Object[] values = new Object[columnNames.length];
    int errors = assemble(values, request, partFeatures);
    Map<String, Object> named = LinkedHashMap.newLinkedHashMap(values.length);
    for (int i = 0; i < values.length; i++) named.put(columnNames[i], values[i]);
    return new JoinRow(named, errors);
  }

  /**
   * {@link #row} without a map, for writers of many rows: fills {@code out} (which may be reused
   * from row to row) with the values in {@link #outputColumns()} order. Numbers are widened to the
   * forms of DESIGN.md (Integer, Short, Byte to Long; in FLOAT/DOUBLE columns any number to
   * Double) before derivations read them, and stay so in {@code out}.
   *
   * @param out an array of at least {@code outputColumns().size()} elements
   * @return how many derivations failed on this row (their values are null)
   */
  public int assemble(Object[] out, Function<String, Object> request, List<? extends Map<String, ?>> partFeatures) {
    if (partFeatures.size() != parts.size()) {
      throw new IllegalArgumentException("Join " + name() + " has " + parts.size() + " parts, got features of " + partFeatures.size());
    }
    int i = 0;
    for (OutputColumn c : this.request) out[i++] = request.apply(c.name());
    for (int f = 0; f < featureNames.length; f++) {
      Map<String, ?> features = partFeatures.get(featureParts[f]);
      out[i++] = features == null ? null : features.get(featureNames[f]);
    }
    derivations.widenInputs(out);
    return derivations.evaluate(out);
  }
}
