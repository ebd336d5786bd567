package dev.tessera.agg.accept;

import java.util.Locale;

/**
 * Why an event was refused: the same reasons, with the same names, on both pipelines (the stream's
 * dead letters, the batch side's errors table and rejection counts, and the metrics' {@code reason}
 * tag). DESIGN.md "Which events count".
 */
public enum Refusal {
  /** The record is not a JSON object (not JSON, an array, a tombstone, an empty value). */
  NOT_AN_OBJECT,
  /** A value does not have its schema type (2.5 for a LONG, a string for a DOUBLE). */
  BAD_VALUE,
  /** A number is NaN or infinite, or a literal beyond the range of a double ({@code 1e400}), in the event or a select. */
  NON_FINITE,
  /** The time column is missing or null. */
  NO_EVENT_TIME,
  /** A key column is null after the selects: the event belongs to no entity. */
  NULL_KEY,
  /** A where, select or time expression failed (division by zero, a missing map key). */
  EVALUATION_ERROR,
  /** The event time is more than the maximum lead ahead of the time the record was written (a wrong clock or time column). */
  AHEAD_OF_RECORD_TIME;

  /** The metric tag and report label: lower case with dashes, e.g. {@code non-finite}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
