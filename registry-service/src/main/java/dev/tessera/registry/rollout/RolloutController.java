package dev.tessera.registry.rollout;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.security.Principal;
import dev.tessera.registry.groupby.GroupByRegistry;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/groupbys/{name}/rollout}: how far a new version is from being served, and starting its missing steps. */
@RestController
@RequestMapping("/api/v1/groupbys/{name}/rollout")
public class RolloutController {
  private final GroupByRegistry registry;
  private final RolloutRunner runner;

  public RolloutController(GroupByRegistry registry, RolloutRunner runner) {
    this.registry = registry;
    this.runner = runner;
  }

  @Operation(summary = "The rollout of a GroupBy's newest version",
      description = "liveVersion is served now; version is the newest one, on its way (PUBLISHED, UPLOADING, CATCHING_UP, FAILED with "
          + "error) or served (LIVE; then equal to liveVersion), or SUPERSEDED by a newer publish. steps: upload, catch-up, switch "
          + "with PENDING, RUNNING, DONE, SKIPPED or FAILED.")
  @ApiResponse(responseCode = "404", description = "unknown or retired GroupBy", content = @Content(mediaType = "application/problem+json"))
  @GetMapping
  public Rollout get(@PathVariable String name) {
    return registry.rollout(name);
  }

  @Operation(summary = "Roll out the newest version",
      description = "Runs the missing steps (upload of the last complete day, the stream job catching up to its batch end) and "
          + "switches the version live when its data is complete; until then the previous version is served. 202 at once; follow "
          + "it with GET. Starting it again resumes a FAILED rollout; one already running is left alone. 409 nothing-to-roll-out "
          + "when the live version is the newest.",
      security = {@SecurityRequirement(name = "basic"), @SecurityRequirement(name = "apiKey")})
  @ApiResponse(responseCode = "202", description = "started, or already running")
  @ApiResponse(responseCode = "409", description = "nothing to roll out", content = @Content(mediaType = "application/problem+json"))
  @PostMapping
  public ResponseEntity<Rollout> start(@PathVariable String name, Principal principal) {
    return ResponseEntity.accepted().body(runner.start(name, principal.getName()));
  }
}
