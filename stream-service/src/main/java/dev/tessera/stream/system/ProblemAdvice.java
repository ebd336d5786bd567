package dev.tessera.stream.system;

import dev.tessera.stream.jobs.JobProblem;
import dev.tessera.stream.jobs.JobRequest;
import dev.tessera.stream.jobs.KafkaUnavailableException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Every API error as {@code application/problem+json} with a stable type URI. */
@RestControllerAdvice
class ProblemAdvice {
  static final String TYPES = "https://tessera.dev/problems/";

  @ExceptionHandler(JobProblem.class)
  ProblemDetail job(JobProblem e) {
    return switch (e) {
      case JobProblem.GroupByNotFound p -> problem(HttpStatus.NOT_FOUND, "groupby-not-found", "GroupBy not found", e.getMessage());
      case JobProblem.NotOnline p -> problem(HttpStatus.BAD_REQUEST, "groupby-not-online", "GroupBy is not online", e.getMessage());
      case JobProblem.AlreadyRunning p -> problem(HttpStatus.CONFLICT, "streaming-job-running", "Streaming job already running", e.getMessage());
      case JobProblem.JobNotFound p -> problem(HttpStatus.NOT_FOUND, "streaming-job-not-found", "Streaming job not found", e.getMessage());
      case JobProblem.NotReady p -> problem(HttpStatus.SERVICE_UNAVAILABLE, "not-ready", "Service not ready", e.getMessage());
    };
  }

  @ExceptionHandler(JobRequest.InvalidJobRequest.class)
  ProblemDetail invalid(JobRequest.InvalidJobRequest e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    p.setProperty("field", e.field());
    return p;
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ProblemDetail unreadable(HttpMessageNotReadableException e) {
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

  private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(URI.create(TYPES + type));
    p.setTitle(title);
    return p;
  }
}
