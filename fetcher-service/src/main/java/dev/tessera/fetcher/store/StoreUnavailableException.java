package dev.tessera.fetcher.store;

import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.fetcher.system.ProblemTypes;
import java.net.URI;
import org.springframework.http.HttpStatus;

/** Redis could not be read: down, not connected yet, too slow, or the circuit breaker is open. */
public final class StoreUnavailableException extends ProblemException {
  public StoreUnavailableException(String detail, String groupBy, Throwable cause) {
    super(detail, groupBy, cause);
  }

  @Override public HttpStatus status() { return HttpStatus.SERVICE_UNAVAILABLE; }
  @Override public URI type() { return ProblemTypes.STORE_UNAVAILABLE; }
  @Override public String title() { return "Feature store unavailable"; }
  @Override public String kind() { return "store_unavailable"; }
  @Override public int retryAfterSeconds() { return 1; }
}
