package dev.tessera.fetcher.system;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An error the client gets as an {@code application/problem+json} response: its status, stable
 * type URI, title, the metric kind it is counted under ({@code tessera.fetch.errors{kind}}) and any
 * extra properties (e.g. the JSON paths of bad keys). {@link FetchProblemAdvice} renders it.
 */
public abstract class ProblemException extends RuntimeException {
  private final String groupBy;
  private String join;

  protected ProblemException(String detail, String groupBy) {
    super(detail);
    this.groupBy = groupBy;
  }

  protected ProblemException(String detail, String groupBy, Throwable cause) {
    super(detail, cause);
    this.groupBy = groupBy;
  }

  public abstract HttpStatus status();

  public abstract URI type();

  public abstract String title();

  /** Metric tag value: snake_case, stable. */
  public abstract String kind();

  /** The GroupBy the request was for, when it is a known one (metric tag); null otherwise. */
  public String groupBy() {
    return groupBy;
  }

  /**
   * Marks this error as one of a fetch of Join {@code name} (null for a name that is not a live
   * Join): it is counted under {@code tessera.join.errors{join, kind}} instead of the GroupBy's.
   */
  public ProblemException forJoin(String name) {
    this.join = name == null ? "none" : name;
    return this;
  }

  /** The Join the failed request was for ("none" when unknown), or null when it was not a Join fetch. */
  public String join() {
    return join;
  }

  /** Extra members of the problem document. */
  public Map<String, Object> properties() {
    return Map.of();
  }

  /** Seconds after which a retry makes sense (a Retry-After header), or 0 for none. */
  public int retryAfterSeconds() {
    return 0;
  }
}
