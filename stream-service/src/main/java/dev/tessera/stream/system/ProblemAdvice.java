package dev.tessera.stream.system;

import dev.tessera.support.security.BodyLimit;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import dev.tessera.stream.jobs.JobProblem;
import dev.tessera.stream.jobs.JobRequest;
import dev.tessera.stream.jobs.KafkaUnavailableException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Every API error as {@code application/problem+json} with a stable type URI. */
@RestControllerAdvice
class ProblemAdvice {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProblemAdvice.class);
  static final String TYPES = "https://tessera.dev/problems/";

  @ExceptionHandler(JobProblem.class)
  ProblemDetail job(JobProblem e) {
    return switch (e) {
      case JobProblem.GroupByNotFound p -> problem(HttpStatus.NOT_FOUND, "groupby-not-found", "GroupBy not found", e.getMessage());
      case JobProblem.NotOnline p -> problem(HttpStatus.BAD_REQUEST, "groupby-not-online", "GroupBy is not online", e.getMessage());
      case JobProblem.AlreadyRunning p -> problem(HttpStatus.CONFLICT, "streaming-job-running", "Streaming job already running", e.getMessage());
      case JobProblem.JobNotFound p -> problem(HttpStatus.NOT_FOUND, "streaming-job-not-found", "Streaming job not found", e.getMessage());
      case JobProblem.NotReady p -> problem(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", "Service not ready", e.getMessage());
      case JobProblem.ServiceStopping p -> problem(HttpStatus.SERVICE_UNAVAILABLE, "service-stopping", "Service stopping", e.getMessage());
    };
  }

  @ExceptionHandler(JobRequest.InvalidJobRequest.class)
  ProblemDetail invalid(JobRequest.InvalidJobRequest e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    p.setProperty("field", e.field());
    return p;
  }

  /** A path or query value that is not a number ({@code ?until=yesterday}; the only typed ones are numbers): the caller's mistake, not a 500. */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail mismatch(MethodArgumentTypeMismatchException e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
        e.getName() + " must be a whole number, not '" + e.getValue() + "'");
    p.setProperty("field", e.getName());
    return p;
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException e) {
    var tooLarge = BodyLimit.cause(e);
    if (tooLarge.isPresent()) return problem(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Request too large", tooLarge.get().detail());
    // A record's compact constructor refusing the body arrives wrapped: show its message, not Jackson's.
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof JobRequest.InvalidJobRequest invalid) return invalid(invalid);
    }
    return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
        "the body must be a JSON object like {\"groupBy\": \"fraud_features\", \"mode\": \"create\"}");
  }

  @ExceptionHandler(KafkaUnavailableException.class)
  ProblemDetail kafka(KafkaUnavailableException e) {
    return problem(HttpStatus.SERVICE_UNAVAILABLE, "kafka-unavailable", "Kafka unavailable", e.getMessage());
  }

  /**
   * Spring's own 4xx (unknown route, 405, 415...) keep their status and become problem JSON with a
   * stable type; anything else is a 500 whose details stay in the log, not in the answer.
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> other(Exception e) {
    if (e instanceof ErrorResponse spring) {
      ProblemDetail p = spring.getBody();
      p.setType(URI.create(TYPES + switch (spring.getStatusCode().value()) {
        case 404 -> "not-found";
        case 405 -> "method-not-allowed";
        case 406 -> "not-acceptable";
        case 413 -> "payload-too-large";
        case 415 -> "unsupported-media-type";
        default -> "invalid-request";
      }));
      return ResponseEntity.status(spring.getStatusCode()).headers(spring.getHeaders()).body(p);
    }
    log.error("unexpected error", e);
    return ResponseEntity.internalServerError().body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
        "The stream service failed unexpectedly; its log has the details."));
  }

  private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPES + type));
    p.setTitle(title);
    return p;
  }
}
