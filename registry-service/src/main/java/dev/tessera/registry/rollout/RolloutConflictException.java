package dev.tessera.registry.rollout;

import dev.tessera.registry.system.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** 409 {@code nothing-to-roll-out}: no version of the GroupBy is on its way to being served. */
public final class RolloutConflictException extends ErrorResponseException {

  public RolloutConflictException(String name, String detail) {
    super(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, Problems.type("nothing-to-roll-out"), "Nothing to roll out", detail), null);
    getBody().setProperty("groupBy", name);
  }
}
