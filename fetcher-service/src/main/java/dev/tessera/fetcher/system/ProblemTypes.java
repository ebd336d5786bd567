package dev.tessera.fetcher.system;

import java.net.URI;

/** The stable problem type URIs of the fetcher's error responses (README "Errors"). */
public final class ProblemTypes {
  private static final String BASE = "https://tessera.dev/problems/";

  /** 400: the body is not JSON, or not an array of key objects. */
  public static final URI MALFORMED_BODY = URI.create(BASE + "malformed-body");
  /** 400: a key is missing, unknown or of the wrong type for the GroupBy's key schema. */
  public static final URI INVALID_KEY = URI.create(BASE + "invalid-key");
  /** 400: a row of a Join fetch lacks a key column or request field, or one has the wrong type. */
  public static final URI INVALID_ROW = URI.create(BASE + "invalid-row");
  /** 404: no live Join of that name. */
  public static final URI UNKNOWN_JOIN = URI.create(BASE + "unknown-join");
  /** 503: the Join's parts do not resolve to GroupBys it compiles against (one retired, a pinned version unknown). */
  public static final URI JOIN_UNSERVABLE = URI.create(BASE + "join-unservable");
  /** 400: more keys than {@code tessera.fetcher.max-keys-per-request}. */
  public static final URI TOO_MANY_KEYS = URI.create(BASE + "too-many-keys");
  /** 400: a query parameter such as {@code atMillis} is not valid. */
  public static final URI INVALID_PARAMETER = URI.create(BASE + "invalid-parameter");
  /** 401: API keys are configured and the request has none or a wrong one. */
  public static final URI UNAUTHORIZED = URI.create(BASE + "unauthorized");
  /** 404: no live GroupBy of that name. */
  public static final URI UNKNOWN_GROUPBY = URI.create(BASE + "unknown-groupby");
  /** 503: Redis is down, too slow, or the circuit breaker is open. */
  public static final URI STORE_UNAVAILABLE = URI.create(BASE + "store-unavailable");
  /** 503: too many fetches are waiting for Redis already (bulkhead full). */
  public static final URI OVERLOADED = URI.create(BASE + "overloaded");
  /** 500: a failure the fetcher did not expect (see its log). */
  public static final URI INTERNAL_ERROR = URI.create(BASE + "internal-error");
  /** A body over {@code tessera.security.max-request-size} (413). */
  public static final URI PAYLOAD_TOO_LARGE = URI.create(BASE + "payload-too-large");
  /** 503: neither the registry topic nor the registry REST API could say whether a GroupBy exists. */
  public static final URI DEFINITIONS_UNAVAILABLE = URI.create(BASE + "definitions-unavailable");

  private ProblemTypes() {}
}
