package dev.tessera.fetcher.fetch;

import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.fetcher.system.ProblemTypes;
import java.net.URI;
import org.springframework.http.HttpStatus;

/** A chunked body that grew past {@code tessera.security.max-request-size} while it was read: 413, no Redis work. */
public final class BodyTooLargeException extends ProblemException {
  BodyTooLargeException(String detail, String groupBy) {
    super(detail, groupBy);
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.CONTENT_TOO_LARGE;
  }

  @Override
  public URI type() {
    return ProblemTypes.PAYLOAD_TOO_LARGE;
  }

  @Override
  public String title() {
    return "Request too large";
  }

  @Override
  public String kind() {
    return "payload_too_large";
  }
}
