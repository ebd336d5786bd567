package dev.tessera.registry.publish;

import java.security.Principal;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Records Kafka refused for good: list them, retry or drop them (admins only for the writes). */
@RestController
@RequestMapping("/api/v1/outbox/failed")
class OutboxController {
  private final OutboxAdmin admin;

  OutboxController(OutboxAdmin admin) {
    this.admin = admin;
  }

  @GetMapping
  List<OutboxAdmin.FailedRecord> failed() {
    return admin.failed();
  }

  @PostMapping("/{id}/retry")
  ResponseEntity<Void> retry(@PathVariable long id, Principal principal) {
    admin.retry(id, principal.getName());
    return ResponseEntity.accepted().build();
  }

  @PostMapping("/{id}/drop")
  ResponseEntity<Void> drop(@PathVariable long id, Principal principal) {
    admin.drop(id, principal.getName());
    return ResponseEntity.noContent().build();
  }
}
