package dev.tessera.registry.rollout;

/**
 * One step of a rollout: {@code upload}, {@code catch-up} or {@code switch}.
 *
 * @param status PENDING, RUNNING, DONE, SKIPPED or FAILED
 * @param jobId the batch job of an upload, else null
 */
public record RolloutStep(String step, String status, String detail, Long jobId) {
  public static final String UPLOAD = "upload";
  public static final String CATCH_UP = "catch-up";
  public static final String SWITCH = "switch";
  /** After the switch and a grace period: the replaced version's online data is deleted. */
  public static final String PURGE = "purge";

  static RolloutStep pending(String step) {
    return new RolloutStep(step, "PENDING", null, null);
  }

  public RolloutStep with(String status, String detail, Long jobId) {
    return new RolloutStep(step, status, detail, jobId);
  }
}
