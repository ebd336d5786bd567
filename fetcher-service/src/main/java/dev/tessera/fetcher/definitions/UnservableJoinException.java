package dev.tessera.fetcher.definitions;

import dev.tessera.agg.definition.Problem;
import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.fetcher.system.ProblemTypes;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * The Join is live but does not compile against the GroupBys its parts resolve to now: a part's
 * GroupBy was retired, or a pinned version is unknown. It can be served again once the registry
 * is put right (the GroupBy republished, or a Join version that no longer needs it published).
 */
public final class UnservableJoinException extends ProblemException {
  private final List<Problem> problems;

  public UnservableJoinException(String name, int version, List<Problem> problems) {
    super("Join '" + name + "' version " + version + " cannot be served: " + summary(problems), null);
    this.problems = List.copyOf(problems);
    forJoin(name);
  }

  private static String summary(List<Problem> problems) {
    return problems.isEmpty() ? "it does not compile" : problems.getFirst().path() + ": " + problems.getFirst().message()
        + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : "");
  }

  public List<Problem> problems() {
    return problems;
  }

  @Override public HttpStatus status() { return HttpStatus.SERVICE_UNAVAILABLE; }
  @Override public URI type() { return ProblemTypes.JOIN_UNSERVABLE; }
  @Override public String title() { return "Join cannot be served"; }
  @Override public String kind() { return "join_unservable"; }

  @Override
  public Map<String, Object> properties() {
    return Map.of("problems", problems);
  }
}
