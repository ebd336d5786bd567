package dev.tessera.registry.system;

import dev.tessera.support.security.BodyLimit;
import dev.tessera.registry.definition.BadRequestException;
import dev.tessera.registry.definition.DefinitionInUseException;
import dev.tessera.registry.definition.DefinitionNotFoundException;
import dev.tessera.registry.definition.DefinitionTooLargeException;
import dev.tessera.registry.definition.InvalidDefinitionException;
import dev.tessera.registry.definition.LocatedProblem;
import dev.tessera.registry.definition.VersionConflictException;
import dev.tessera.registry.groupby.BatchController;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error as {@code application/problem+json} with a stable type URI ({@link Problems}).
 * Validation problems carry the full list ({@code errors}: path, message, line). Spring MVC's own
 * errors (415, 405, a parameter of the wrong type, ...) get the same shape. The admin UI has its
 * own advice, ordered before this one, that renders pages instead.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiProblemAdvice extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiProblemAdvice.class);

  @ExceptionHandler(InvalidDefinitionException.class)
  ProblemDetail invalid(InvalidDefinitionException e) {
    List<LocatedProblem> errors = e.validation().problems();
    ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, Problems.invalid(e.kind()), "Invalid " + e.kind().label() + " definition",
        e.getMessage());
    if (e.validation().name() != null) p.setProperty("name", e.validation().name());
    p.setProperty("errors", errors);
    return p;
  }

  @ExceptionHandler(BatchController.InvalidBatchException.class)
  ProblemDetail invalidBatch(BatchController.InvalidBatchException e) {
    ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, Problems.INVALID_GROUPBY_BATCH, "Invalid GroupBy definitions", e.getMessage());
    p.setProperty("dryRun", e.result().dryRun());
    p.setProperty("items", e.result().items());
    return p;
  }

  @ExceptionHandler(DefinitionNotFoundException.class)
  ProblemDetail notFound(DefinitionNotFoundException e) {
    boolean version = e.version() != null;
    String kind = e.kind().label();
    ProblemDetail p = Problems.of(HttpStatus.NOT_FOUND, version ? Problems.VERSION_NOT_FOUND : Problems.notFound(e.kind()),
        version ? "Unknown " + kind + " version" : "Unknown " + kind, e.getMessage());
    p.setProperty("name", e.name());
    if (version) p.setProperty("version", e.version());
    return p;
  }

  @ExceptionHandler(VersionConflictException.class)
  ResponseEntity<ProblemDetail> conflict(VersionConflictException e) {
    ProblemDetail p = Problems.of(HttpStatus.CONFLICT, Problems.VERSION_CONFLICT, "Version conflict", e.getMessage());
    p.setProperty("name", e.name());
    if (e.currentVersion() != null) p.setProperty("currentVersion", e.currentVersion());
    var response = ResponseEntity.status(HttpStatus.CONFLICT);
    if (e.currentEtag() != null) response.eTag("\"" + e.currentEtag() + "\"");
    return response.body(p);
  }

  /** Retiring a GroupBy that active Joins read: 409 naming them ({@code joins}). */
  @ExceptionHandler(DefinitionInUseException.class)
  ProblemDetail inUse(DefinitionInUseException e) {
    ProblemDetail p = Problems.of(HttpStatus.CONFLICT, Problems.inUse(e.kind()), e.kind().label() + " in use", e.getMessage());
    p.setProperty("name", e.name());
    p.setProperty(e.usedBy().slug() + "s", e.users());
    return p;
  }

  /** The definition's record would not fit on the registry topic: 400 naming the limit, before anything is stored. */
  @ExceptionHandler(DefinitionTooLargeException.class)
  ProblemDetail tooLarge(DefinitionTooLargeException e) {
    ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, Problems.type("definition-too-large"),
        e.kind().label() + " too large to publish", e.getMessage());
    p.setProperty("name", e.name());
    p.setProperty("bytes", e.bytes());
    p.setProperty("limitBytes", e.limitBytes());
    return p;
  }

  @ExceptionHandler(BadRequestException.class)
  ProblemDetail badRequest(BadRequestException e) {
    return Problems.of(HttpStatus.BAD_REQUEST, Problems.BAD_REQUEST, "Bad request", e.getMessage());
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("Unexpected error", e);
    return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, Problems.INTERNAL_ERROR, "Internal error",
        "The registry failed unexpectedly (" + e.getClass().getSimpleName() + "); the log has the details.");
  }

  /** A body cut off by the size limit arrives here wrapped in a read error: it is a 413, not a 400. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    var tooLarge = BodyLimit.cause(ex);
    if (tooLarge.isPresent()) {
      return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
          .body(Problems.of(HttpStatus.CONTENT_TOO_LARGE, Problems.PAYLOAD_TOO_LARGE, "Request too large", tooLarge.get().detail()));
    }
    return super.handleHttpMessageNotReadable(ex, headers, status, request);
  }

  /** Spring's own problems get a Tessera type instead of about:blank. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (body instanceof ProblemDetail p && (p.getType() == null || "about:blank".equals(p.getType().toString()))) {
      p.setType(Problems.typeFor(status.value()));
    }
    return super.createResponseEntity(body, headers, status, request);
  }
}
