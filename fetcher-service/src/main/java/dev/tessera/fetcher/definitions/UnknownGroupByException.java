package dev.tessera.fetcher.definitions;

import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.fetcher.system.ProblemTypes;
import java.net.URI;
import org.springframework.http.HttpStatus;

/** No live GroupBy has this name (never published, or retired). */
public final class UnknownGroupByException extends ProblemException {
  public UnknownGroupByException(String name, String why) {
    super("no live GroupBy named '" + name + "'" + (why == null ? "" : ": " + why), null);
  }

  @Override public HttpStatus status() { return HttpStatus.NOT_FOUND; }
  @Override public URI type() { return ProblemTypes.UNKNOWN_GROUPBY; }
  @Override public String title() { return "Unknown GroupBy"; }
  @Override public String kind() { return "unknown_groupby"; }
}
