package dev.tessera.fetcher.system;

import dev.tessera.support.security.ErrorText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.util.DisconnectedClientHelper;

/**
 * Every error of the fetch API as {@code application/problem+json} with a stable type URI
 * ({@link ProblemTypes}), counted in {@code tessera.fetch.errors{groupBy, kind}} (a Join fetch's in
 * {@code tessera.join.errors{join, kind}}). Spring MVC's own
 * errors (unsupported media type, missing body, ...) keep its problem documents; an unreadable body
 * gets the {@code malformed-body} type.
 */
@RestControllerAdvice
class FetchProblemAdvice extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(FetchProblemAdvice.class);

  private final MeterRegistry meters;
  private final LogThrottle logThrottle;

  FetchProblemAdvice(MeterRegistry meters, java.time.InstantSource clock) {
    this.meters = meters;
    this.logThrottle = new LogThrottle(clock, java.time.Duration.ofSeconds(10));
  }

  @ExceptionHandler(ProblemException.class)
  ResponseEntity<ProblemDetail> problem(ProblemException e) {
    if (e.join() != null) countJoin(e.join(), e.kind());
    else count(e.groupBy(), e.kind());
    if (e.status().is5xxServerError()) {
      long suppressed = logThrottle.admit(e.kind());
      if (suppressed >= 0) log.warn("{}: {} ({} similar answers not logged)", e.title(), e.getMessage(), suppressed);
    }
    ProblemDetail body = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
    body.setType(e.type());
    body.setTitle(e.title());
    e.properties().forEach(body::setProperty);
    ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    if (e.retryAfterSeconds() > 0) response.header(HttpHeaders.RETRY_AFTER, Integer.toString(e.retryAfterSeconds()));
    return response.body(body);
  }

  /**
   * A bug or an unexpected failure: a 500 problem, the stack trace in the log (throttled), never an
   * HTML page. A client that went away while its answer was written (broken pipe, connection reset)
   * is neither: it is counted as {@code client_disconnected} and logged at debug level only, and
   * nothing is written (there is no one to read it).
   */
  @ExceptionHandler(RuntimeException.class)
  ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
    if (DisconnectedClientHelper.isClientDisconnectedException(e)) {
      count(null, "client_disconnected");
      log.debug("the client went away before its answer was written: {}", e.toString());
      return null;
    }
    count(null, "internal_error");
    long suppressed = logThrottle.admit("internal_error");
    if (suppressed >= 0) log.error("unexpected failure of a fetch ({} similar not logged)", suppressed, e);
    ProblemDetail body = ProblemDetail.forStatusAndDetail(org.springframework.http.HttpStatus.INTERNAL_SERVER_ERROR,
        "the fetcher failed unexpectedly; its log has the details");
    body.setType(ProblemTypes.INTERNAL_ERROR);
    body.setTitle("Internal error");
    return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    count(null, "malformed_body");
    Throwable cause = e.getMostSpecificCause();
    ProblemDetail body = ProblemDetail.forStatusAndDetail(status,
        "the body is not readable JSON: " + (cause == null || cause == e ? "missing or empty" : ErrorText.clean(firstLine(cause.getMessage()))));
    body.setType(ProblemTypes.MALFORMED_BODY);
    body.setTitle("Malformed request body");
    return handleExceptionInternal(e, body, headers, status, request);
  }

  private void count(String groupBy, String kind) {
    Counter.builder("tessera.fetch.errors").tag("groupBy", groupBy == null ? "none" : groupBy).tag("kind", kind)
        .description("failed fetches (whole requests) and failed keys, by kind").register(meters).increment();
  }

  private void countJoin(String join, String kind) {
    Counter.builder("tessera.join.errors").tag("join", join).tag("kind", kind)
        .description("failed Join fetches (whole requests), by kind").register(meters).increment();
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
