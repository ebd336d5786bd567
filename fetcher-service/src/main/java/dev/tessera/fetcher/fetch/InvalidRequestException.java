package dev.tessera.fetcher.fetch;

import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.fetcher.system.ProblemTypes;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A 400: the request cannot be served as asked. {@code problems} holds each bad spot with its JSON
 * path ({@code $[3].user_id}) or parameter name, so a client can fix all of them at once.
 */
public final class InvalidRequestException extends ProblemException {
  /** One bad spot of a request. */
  public record Problem(String path, String message) {}

  private final URI type;
  private final String title;
  private final String kind;
  private final List<Problem> problems;

  private InvalidRequestException(URI type, String title, String kind, String detail, String groupBy, List<Problem> problems) {
    super(detail, groupBy);
    this.type = type;
    this.title = title;
    this.kind = kind;
    this.problems = List.copyOf(problems);
  }

  public static InvalidRequestException malformedBody(String detail, String groupBy) {
    return new InvalidRequestException(ProblemTypes.MALFORMED_BODY, "Malformed request body", "malformed_body", detail, groupBy, List.of());
  }

  static InvalidRequestException invalidKeys(List<Problem> problems, int total, String groupBy) {
    return new InvalidRequestException(ProblemTypes.INVALID_KEY, "Invalid entity key", "invalid_key", summary(problems, total, "key"), groupBy,
        problems);
  }

  static InvalidRequestException invalidRows(List<Problem> problems, int total) {
    return new InvalidRequestException(ProblemTypes.INVALID_ROW, "Invalid request row", "invalid_row", summary(problems, total, "row"), null,
        problems);
  }

  private static String summary(List<Problem> problems, int total, String what) {
    return problems.size() == 1 ? problems.getFirst().path() + ": " + problems.getFirst().message()
        : total + " " + what + " problems, first: " + problems.getFirst().path() + ": " + problems.getFirst().message();
  }

  public static InvalidRequestException tooManyKeys(int given, int max, String groupBy) {
    return new InvalidRequestException(ProblemTypes.TOO_MANY_KEYS, "Too many keys", "too_many_keys",
        given + " keys in one request; at most " + max + " are allowed (tessera.fetcher.max-keys-per-request): split the request",
        groupBy, List.of());
  }

  public static InvalidRequestException invalidParameter(String name, String message, String groupBy) {
    return new InvalidRequestException(ProblemTypes.INVALID_PARAMETER, "Invalid parameter", "invalid_parameter",
        name + ": " + message, groupBy, List.of(new Problem(name, message)));
  }

  public List<Problem> problems() {
    return problems;
  }

  @Override public HttpStatus status() { return HttpStatus.BAD_REQUEST; }
  @Override public URI type() { return type; }
  @Override public String title() { return title; }
  @Override public String kind() { return kind; }

  @Override
  public Map<String, Object> properties() {
    return problems.isEmpty() ? Map.of() : Map.of("problems", problems);
  }
}
