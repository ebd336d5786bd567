package dev.tessera.batch.jobs;

/** The job is not in a state that allows the operation, e.g. restarting a completed job (answered with 409). */
public class JobStateException extends RuntimeException {
  public JobStateException(String message) {
    super(message);
  }
}
