package dev.tessera.agg.join;

import java.util.Map;

/**
 * One assembled row of a Join (training set or fetch): every output column by name, in
 * {@link CompiledJoin#outputColumns()} order, and how many derivations failed to evaluate on it
 * (their values are null; the pipelines count them in their metrics).
 */
public record JoinRow(Map<String, Object> values, int derivationErrors) {}
