package dev.tessera.agg.expr;

import dev.tessera.agg.accept.Refusal;
import dev.tessera.agg.row.Row;

/** What a compiled source made of one raw event. */
public sealed interface SourceResult {

  /** The event passed the wheres and became a row. */
  record Accepted(Row row) implements SourceResult {}

  /** A where clause did not hold: a normal outcome, not an error. */
  record Filtered() implements SourceResult {
    static final Filtered INSTANCE = new Filtered();
  }

  /**
   * The event is malformed (bad type, non-finite number, missing time, null key, evaluation error):
   * {@code refusal} is the kind both pipelines count it under, {@code reason} the text that says why.
   */
  record Rejected(String reason, Refusal refusal) implements SourceResult {
    public Rejected {
      java.util.Objects.requireNonNull(reason, "reason");
      java.util.Objects.requireNonNull(refusal, "refusal");
    }
  }
}
