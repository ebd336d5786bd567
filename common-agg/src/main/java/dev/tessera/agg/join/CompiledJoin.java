package dev.tessera.agg.join;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  CompiledJoin(Join definition, List<CompiledPart> parts, List<OutputColumn> request, List<OutputColumn> derived,
      Derivations derivations) {
    this.definition = definition;
    this.parts = List.copyOf(parts);
    this.request = List.copyOf(request);
    this.derived = List.copyOf(derived);
    this.derivations = derivations;
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
   * Evaluates the derivations on a row that holds the request fields and every part's features by
   * output name, and puts each result into it (DESIGN.md "Joins", Derivations: null when a name the
   * expression reads is null, when the result is a non-finite double, or when evaluation fails).
   *
   * @return how many evaluations failed (counted by the caller's metrics)
   */
  public int derive(Map<String, Object> row) {
    return derivations.evaluate(row);
  }
}
