package dev.tessera.fetcher.store;

import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.fetcher.system.ProblemTypes;
import java.net.URI;
import org.springframework.http.HttpStatus;

/** The bulkhead around Redis is full: more fetches are in flight than it admits. */
public final class StoreOverloadedException extends ProblemException {
  public StoreOverloadedException(String detail, String groupBy, Throwable cause) {
    super(detail, groupBy, cause);
  }

  @Override public HttpStatus status() { return HttpStatus.SERVICE_UNAVAILABLE; }
  @Override public URI type() { return ProblemTypes.OVERLOADED; }
  @Override public String title() { return "Fetcher overloaded"; }
  @Override public String kind() { return "overloaded"; }
  @Override public int retryAfterSeconds() { return 1; }
}
