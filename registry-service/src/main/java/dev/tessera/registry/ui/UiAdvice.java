package dev.tessera.registry.ui;

import dev.tessera.registry.definition.BadRequestException;
import dev.tessera.registry.definition.DefinitionNotFoundException;
import dev.tessera.registry.publish.OutboxAdmin;
import java.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The admin UI's errors as pages (the API's are problem JSON), and who is logged in on every page. */
@ControllerAdvice(assignableTypes = {AdminController.class, JoinPagesController.class, EditorController.class, ConsistencyPageController.class,
    OutboxPageController.class, MetricsPageController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class UiAdvice {
  private static final Logger log = LoggerFactory.getLogger(UiAdvice.class);
  private final OutboxAdmin outbox;

  UiAdvice(OutboxAdmin outbox) {
    this.outbox = outbox;
  }

  @ModelAttribute
  void user(Model model, Principal principal) {
    model.addAttribute("currentUser", principal == null ? null : principal.getName());
    boolean canWrite = principal instanceof Authentication a && a.getAuthorities().stream()
        .anyMatch(g -> g.getAuthority().equals("ROLE_WRITER") || g.getAuthority().equals("ROLE_ADMIN"));
    model.addAttribute("canWrite", canWrite);
    model.addAttribute("isAdmin", principal instanceof Authentication a
        && a.getAuthorities().stream().anyMatch(g -> g.getAuthority().equals("ROLE_ADMIN")));
    // every page says when committed versions are not reaching the services
    model.addAttribute("failedRecords", principal == null ? 0 : outbox.failedCount());
  }

  @ExceptionHandler(DefinitionNotFoundException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String notFound(DefinitionNotFoundException e, Model model) {
    model.addAttribute("status", 404);
    model.addAttribute("title", "Not found");
    model.addAttribute("message", e.getMessage());
    return "error";
  }

  /** A malformed form field or ETag: the page cannot act on it. */
  @ExceptionHandler({BadRequestException.class, TypeMismatchException.class, ServletRequestBindingException.class})
  @ResponseStatus(HttpStatus.BAD_REQUEST)
  String badRequest(Exception e, Model model) {
    model.addAttribute("status", 400);
    model.addAttribute("title", "Bad request");
    model.addAttribute("message", e instanceof BadRequestException ? e.getMessage() : "The form sent a value the page cannot use: " + e.getMessage());
    return "error";
  }

  @ExceptionHandler(Exception.class)
  @ResponseStatus(HttpStatus.INTERNAL_SERVER_ERROR)
  String unexpected(Exception e, Model model) {
    log.error("Admin UI error", e);
    model.addAttribute("status", 500);
    model.addAttribute("title", "Something went wrong");
    model.addAttribute("message", "The registry failed unexpectedly (" + e.getClass().getSimpleName() + "). The log has the details.");
    return "error";
  }
}
