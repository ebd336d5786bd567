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
  public static final URI JOB_STATE = URI.create("https://tessera.dev/problems/job-state");
  public static final URI WAREHOUSE_UNAVAILABLE = URI.create("https://tessera.dev/problems/warehouse-unavailable");
  public static final URI REDIS_UNAVAILABLE = URI.create("https://tessera.dev/problems/redis-unavailable");
  public static final URI REGISTRY_UNAVAILABLE = URI.create("https://tessera.dev/problems/registry-unavailable");
  public static final URI INTERNAL = URI.create("https://tessera.dev/problems/internal-error");

  private ProblemTypes() {}
}
