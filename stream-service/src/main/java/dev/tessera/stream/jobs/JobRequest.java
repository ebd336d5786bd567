package dev.tessera.stream.jobs;

/**
 * {@code POST /api/v1/streaming-jobs} body: {@code {"groupBy": "fraud_features", "mode": "create"}}.
 * {@code mode} may be left out; {@code create} is the only mode (start the live version's job).
 */
public record JobRequest(String groupBy, String mode) {
  public static final String CREATE = "create";

  /** Checks the request; the message names the field. */
  public JobRequest {
    if (groupBy == null || groupBy.isBlank()) throw new InvalidJobRequest("groupBy", "is required");
    if (mode != null && !mode.equals(CREATE)) {
      throw new InvalidJobRequest("mode", "must be \"create\" (the only mode), was \"" + mode + "\"");
    }
  }

  /** A request the API refuses with a 400 naming {@code field}. */
  public static final class InvalidJobRequest extends RuntimeException {
    private final String field;

    InvalidJobRequest(String field, String rule) {
      super(field + " " + rule);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
