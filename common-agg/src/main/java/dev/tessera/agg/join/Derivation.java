package dev.tessera.agg.join;

import java.util.Objects;

/** A derived output column: a CEL expression over the Join's feature names and request fields. */
public record Derivation(String name, String expression) {
  public Derivation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expression, "expression");
  }
}
