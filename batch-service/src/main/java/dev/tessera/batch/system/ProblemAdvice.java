package dev.tessera.batch.system;

import dev.tessera.support.DefinitionsUnavailableException;
import dev.tessera.batch.jobs.DefinitionsNotReadyException;
import dev.tessera.batch.jobs.InvalidRequestException;
import dev.tessera.batch.jobs.JobConflictException;
import dev.tessera.batch.jobs.JobStateException;
import dev.tessera.batch.jobs.UnknownGroupByException;
import dev.tessera.batch.jobs.UnknownJobException;
import dev.tessera.batch.jobs.UnknownJoinException;
import dev.tessera.batch.warehouse.WarehouseException;
import dev.tessera.support.security.BodyLimit;
import dev.tessera.support.security.ErrorText;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Every error answer of the service, as {@code application/problem+json} with a stable type URI. */
@RestControllerAdvice
public class ProblemAdvice {
  private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid job request", e.getMessage());
    p.setProperty("errors", e.problems().stream().map(f -> Map.of("field", f.field(), "message", f.message())).toList());
    return respond(p);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ProblemDetail> malformed(HttpMessageNotReadableException e) {
    var tooLarge = BodyLimit.cause(e);
    if (tooLarge.isPresent()) {
      return respond(problem(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Request too large", tooLarge.get().detail()));
    }
    Throwable cause = e.getMostSpecificCause();
    String detail = cause instanceof tools.jackson.core.JacksonException j
        ? ErrorText.clean(j.getOriginalMessage()) + (j.getPath().isEmpty() ? "" : " (at " + path(j.getPath()) + ")")
        : "the body is not valid JSON of the expected shape";
    return respond(problem(HttpStatus.BAD_REQUEST, ProblemTypes.MALFORMED_REQUEST, "Malformed request body", detail));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ProblemDetail> badPathValue(MethodArgumentTypeMismatchException e) {
    ProblemDetail p = problem(HttpStatus.BAD_REQUEST, ProblemTypes.INVALID_REQUEST, "Invalid request",
        e.getName() + ": '" + e.getValue() + "' is not valid");
    p.setProperty("errors", List.of(Map.of("field", e.getName(), "message", "'" + e.getValue() + "' is not valid")));
    return respond(p);
  }

  @ExceptionHandler(UnknownGroupByException.class)
  ResponseEntity<ProblemDetail> unknownGroupBy(UnknownGroupByException e) {
    ProblemDetail p = problem(HttpStatus.NOT_FOUND, ProblemTypes.UNKNOWN_GROUPBY, "Unknown GroupBy", e.getMessage());
    p.setProperty("groupBy", e.name());
    return respond(p);
  }

  @ExceptionHandler(UnknownJoinException.class)
  ResponseEntity<ProblemDetail> unknownJoin(UnknownJoinException e) {
    ProblemDetail p = problem(HttpStatus.NOT_FOUND, ProblemTypes.UNKNOWN_JOIN, "Unknown Join", e.getMessage());
    p.setProperty("join", e.name());
    return respond(p);
  }

  @ExceptionHandler(DefinitionsNotReadyException.class)
  ResponseEntity<ProblemDetail> loading(DefinitionsNotReadyException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.DEFINITIONS_LOADING, "Definitions loading", e.getMessage()));
  }

  @ExceptionHandler(UnknownJobException.class)
  ResponseEntity<ProblemDetail> unknownJob(UnknownJobException e) {
    return respond(problem(HttpStatus.NOT_FOUND, ProblemTypes.UNKNOWN_JOB, "Unknown job", e.getMessage()));
  }

  @ExceptionHandler(JobConflictException.class)
  ResponseEntity<ProblemDetail> conflict(JobConflictException e) {
    ProblemDetail p = problem(HttpStatus.CONFLICT, ProblemTypes.JOB_CONFLICT, "Conflicting job running", e.getMessage());
    p.setProperty("runningJobId", e.runningJobId());
    return respond(p);
  }

  @ExceptionHandler(dev.tessera.batch.jobs.TableOwnedException.class)
  ResponseEntity<ProblemDetail> owned(dev.tessera.batch.jobs.TableOwnedException e) {
    ProblemDetail p = problem(HttpStatus.CONFLICT, ProblemTypes.TABLE_OWNED, "Table owned by another job", e.getMessage());
    p.setProperty("ownerJobId", e.ownerJobId());
    return respond(p);
  }

  @ExceptionHandler(JobStateException.class)
  ResponseEntity<ProblemDetail> state(JobStateException e) {
    return respond(problem(HttpStatus.CONFLICT, ProblemTypes.JOB_STATE, "Job state does not allow this", e.getMessage()));
  }

  @ExceptionHandler(WarehouseException.class)
  ResponseEntity<ProblemDetail> warehouse(WarehouseException e) {
    // the driver's message names files and internals: it goes to the log, not to the caller
    log.warn("warehouse error while handling a request: {}", e.getMessage());
    return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.WAREHOUSE_UNAVAILABLE, "Warehouse unavailable",
        "The warehouse could not be read or written; the batch service's log has the details."));
  }

  @ExceptionHandler(DefinitionsUnavailableException.class)
  ResponseEntity<ProblemDetail> registry(RuntimeException e) {
    log.warn("registry error while handling a request: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.REGISTRY_UNAVAILABLE, "Registry unavailable", e.getMessage()));
  }

  @ExceptionHandler(org.springframework.data.redis.RedisConnectionFailureException.class)
  ResponseEntity<ProblemDetail> redis(RuntimeException e) {
    log.warn("Redis error while handling a request: {}", e.getMessage());
    return respond(problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemTypes.REDIS_UNAVAILABLE, "Redis unavailable",
        "Redis could not be reached; the batch service's log has the details."));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> internal(Exception e) {
    if (e instanceof ErrorResponse spring) {
      // Spring's own 4xx (404 route, 405, 415...) keep their status and become problem JSON with a stable type
      ProblemDetail p = spring.getBody();
      p.setType(ProblemTypes.forStatus(spring.getStatusCode().value()));
      return ResponseEntity.status(spring.getStatusCode()).headers(spring.getHeaders()).body(p);
    }
    log.error("unexpected error", e);
    return respond(problem(HttpStatus.INTERNAL_SERVER_ERROR, ProblemTypes.INTERNAL, "Internal error",
        "The batch service failed unexpectedly; its log has the details."));
  }

  private static String path(List<tools.jackson.core.JacksonException.Reference> refs) {
    StringBuilder sb = new StringBuilder("$");
    for (var r : refs) {
      if (r.getPropertyName() != null) sb.append('.').append(r.getPropertyName());
      else if (r.getIndex() >= 0) sb.append('[').append(r.getIndex()).append(']');
    }
    return sb.toString();
  }

  private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setType(type);
    p.setTitle(title);
    return p;
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
    return ResponseEntity.status(p.getStatus()).body(p);
  }
}
