package dev.tessera.registry.rollout;

import java.time.Instant;
import java.util.List;

/**
 * A GroupBy version's rollout as {@code GET /api/v1/groupbys/{name}/rollout} shows it: the version
 * served now ({@code liveVersion}), the one on its way ({@code version}; equal to the live one with
 * state LIVE when none is), and the steps still missing.
 */
public record Rollout(String name, Integer liveVersion, int version, RolloutState state, List<RolloutStep> steps, String error,
    Instant startedAt, Instant updatedAt, Integer replaced) {

  public Rollout {
    steps = List.copyOf(steps);
  }

  /** Nothing on its way: the live version is the latest. */
  public static Rollout settled(String name, int liveVersion, Instant at) {
    return new Rollout(name, liveVersion, liveVersion, RolloutState.LIVE, List.of(), null, null, at, null);
  }

  public static List<RolloutStep> initialSteps() {
    return List.of(RolloutStep.pending(RolloutStep.UPLOAD), RolloutStep.pending(RolloutStep.CATCH_UP),
        RolloutStep.pending(RolloutStep.SWITCH));
  }

  public Rollout step(String step, String status, String detail, Long jobId, RolloutState state, Instant at) {
    List<RolloutStep> next = steps.stream().map(s -> s.step().equals(step) ? s.with(status, detail, jobId) : s).toList();
    return new Rollout(name, liveVersion, version, state, next, state == RolloutState.FAILED ? error : null,
        startedAt == null ? at : startedAt, at, replaced);
  }

  public Rollout failed(String step, String why, Instant at) {
    Rollout r = step(step, "FAILED", why, stepJob(step), RolloutState.FAILED, at);
    return new Rollout(name, liveVersion, version, RolloutState.FAILED, r.steps(), why, r.startedAt(), at, replaced);
  }

  /** Switched live in place of {@code replaced}; its data is purged after the grace period ({@link RolloutStep#PURGE}). */
  public Rollout switched(int replaced, String detail, Instant at, String purgeDetail) {
    Rollout r = step(RolloutStep.SWITCH, "DONE", detail, null, RolloutState.LIVE, at);
    List<RolloutStep> next = new java.util.ArrayList<>(r.steps());
    next.add(new RolloutStep(RolloutStep.PURGE, "PENDING", purgeDetail, null));
    return new Rollout(name, liveVersion, version, RolloutState.LIVE, next, null, r.startedAt(), at, replaced);
  }

  /** The status of a step, or null when the rollout has no such step. */
  public String status(String step) {
    return steps.stream().filter(s -> s.step().equals(step)).map(RolloutStep::status).findFirst().orElse(null);
  }

  Long stepJob(String step) {
    return steps.stream().filter(s -> s.step().equals(step)).map(RolloutStep::jobId).findFirst().orElse(null);
  }
}
