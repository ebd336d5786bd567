package dev.tessera.fetcher.definitions;

import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.fetcher.system.ProblemTypes;
import java.net.URI;
import org.springframework.http.HttpStatus;

/** No live Join has this name (never published, or retired). */
public final class UnknownJoinException extends ProblemException {
  public UnknownJoinException(String name, String why) {
    super("no live Join named '" + name + "'" + (why == null ? "" : ": " + why), null);
    forJoin(null);
  }

  @Override public HttpStatus status() { return HttpStatus.NOT_FOUND; }
  @Override public URI type() { return ProblemTypes.UNKNOWN_JOIN; }
  @Override public String title() { return "Unknown Join"; }
  @Override public String kind() { return "unknown_join"; }
}
