package dev.tessera.stream.deadletter;

/** Why an event went to the dead-letter topic instead of a tile. */
public enum DeadLetterKind {
  /** Older than its tile end + allowedLateness when it arrived (DESIGN.md "Late events"). */
  LATE,
  /** Not valid JSON, not an object, a missing time or key, a type mismatch, a CEL evaluation error. */
  MALFORMED,
  /** Processing failed for another reason (a bug or an unreadable internal record); the job went on. */
  ERROR;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
