package dev.tessera.agg.expr;

import dev.tessera.agg.row.Row;

/** What a compiled source made of one raw event. */
public sealed interface SourceResult {

  /** The event passed the wheres and became a row. */
  record Accepted(Row row) implements SourceResult {}

  /** A where clause did not hold: a normal outcome, not an error. */
  record Filtered() implements SourceResult {
    static final Filtered INSTANCE = new Filtered();
  }

  /** The event is malformed (bad type, missing time, evaluation error); the reason says why. */
  record Rejected(String reason) implements SourceResult {}
}
