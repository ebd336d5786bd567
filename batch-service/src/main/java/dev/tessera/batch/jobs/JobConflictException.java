package dev.tessera.batch.jobs;

/** Another running job writes the same target (answered with 409, naming that job). */
public class JobConflictException extends RuntimeException {
  private final long runningJobId;

  public JobConflictException(String target, long runningJobId) {
    super("job " + runningJobId + " is already writing " + target + "; wait for it or stop it");
    this.runningJobId = runningJobId;
  }

  public long runningJobId() {
    return runningJobId;
  }
}
