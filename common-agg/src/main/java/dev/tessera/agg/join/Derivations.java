package dev.tessera.agg.join;

import java.util.Map;

/** The checked CEL programs of a Join's derivations. */
final class Derivations {
  /** Puts every derivation's value into {@code row}; returns the number of failed evaluations. */
  int evaluate(Map<String, Object> row) {
    throw new UnsupportedOperationException("TODO");
  }
}
