package dev.tessera.registry.ui;

import dev.tessera.registry.publish.OutboxAdmin;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /ui/outbox}: the records Kafka refused for good (committed versions no service sees yet),
 * with a Retry and a Drop button for admins. Linked from the top bar while there are any.
 */
@Controller
class OutboxPageController {
  private final OutboxAdmin admin;

  OutboxPageController(OutboxAdmin admin) {
    this.admin = admin;
  }

  @GetMapping("/ui/outbox")
  String outbox(Model model) {
    model.addAttribute("failed", admin.failed());
    return "outbox";
  }

  @PostMapping("/ui/outbox/{id}/retry")
  String retry(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
    return act(redirect, () -> admin.retry(id, principal.getName()),
        "Record " + id + " is back in line; the relay sends it now. If Kafka refuses it again it comes back here.");
  }

  @PostMapping("/ui/outbox/{id}/drop")
  String drop(@PathVariable long id, Principal principal, RedirectAttributes redirect) {
    return act(redirect, () -> admin.drop(id, principal.getName()), "Record " + id + " is dropped: it will never be sent.");
  }

  private static String act(RedirectAttributes redirect, Runnable action, String done) {
    try {
      action.run();
      redirect.addFlashAttribute("flash", done);
      redirect.addFlashAttribute("flashKind", "ok");
    } catch (ErrorResponseException e) {
      redirect.addFlashAttribute("flash", e.getBody().getDetail());
      redirect.addFlashAttribute("flashKind", "error");
    }
    return "redirect:/ui/outbox";
  }
}
