package dev.tessera.fetcher.definitions;

import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.fetcher.system.ProblemTypes;
import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Whether a GroupBy or Join exists cannot be told right now: the registry topic has not been read to its
 * end yet and the registry REST API did not answer (or answered with something unusable).
 */
public final class DefinitionsUnavailableException extends ProblemException {
  public DefinitionsUnavailableException(String detail, Throwable cause) {
    super(detail, null, cause);
  }

  @Override public HttpStatus status() { return HttpStatus.SERVICE_UNAVAILABLE; }
  @Override public URI type() { return ProblemTypes.DEFINITIONS_UNAVAILABLE; }
  @Override public String title() { return "Definitions unavailable"; }
  @Override public String kind() { return "definitions_unavailable"; }
  @Override public int retryAfterSeconds() { return 2; }
}
