package dev.tessera.batch.system;

import java.net.URI;

/** Stable problem type URIs of the batch service's error answers. */
public final class ProblemTypes {
  public static final URI INVALID_REQUEST = URI.create("https://tessera.dev/problems/invalid-request");
  public static final URI MALFORMED_REQUEST = URI.create("https://tessera.dev/problems/malformed-request");
  public static final URI UNKNOWN_GROUPBY = URI.create("https://tessera.dev/problems/unknown-groupby");
  public static final URI UNKNOWN_JOIN = URI.create("https://tessera.dev/problems/unknown-join");
  public static final URI DEFINITIONS_LOADING = URI.create("https://tessera.dev/problems/definitions-loading");
  public static final URI UNKNOWN_JOB = URI.create("https://tessera.dev/problems/unknown-job");
  public static final URI JOB_CONFLICT = URI.create("https://tessera.dev/problems/job-conflict");
  public static final URI TABLE_OWNED = URI.create("https://tessera.dev/problems/table-owned");
  public static final URI JOB_STATE = URI.create("https://tessera.dev/problems/job-state");
  public static final URI WAREHOUSE_UNAVAILABLE = URI.create("https://tessera.dev/problems/warehouse-unavailable");
  public static final URI REDIS_UNAVAILABLE = URI.create("https://tessera.dev/problems/redis-unavailable");
  public static final URI REGISTRY_UNAVAILABLE = URI.create("https://tessera.dev/problems/registry-unavailable");
  public static final URI INTERNAL = URI.create("https://tessera.dev/problems/internal-error");
  public static final URI PAYLOAD_TOO_LARGE = URI.create("https://tessera.dev/problems/payload-too-large");
  public static final URI NOT_FOUND = URI.create("https://tessera.dev/problems/not-found");
  public static final URI METHOD_NOT_ALLOWED = URI.create("https://tessera.dev/problems/method-not-allowed");
  public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create("https://tessera.dev/problems/unsupported-media-type");
  public static final URI NOT_ACCEPTABLE = URI.create("https://tessera.dev/problems/not-acceptable");

  /** The type of one of Spring MVC's own errors, by status. */
  public static URI forStatus(int status) {
    return switch (status) {
      case 400 -> MALFORMED_REQUEST;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      default -> status >= 500 ? INTERNAL : INVALID_REQUEST;
    };
  }

  private ProblemTypes() {}
}
