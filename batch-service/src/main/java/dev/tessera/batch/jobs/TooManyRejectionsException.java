package dev.tessera.batch.jobs;

/** More rows were rejected than the job's limit allows: the job fails, with the reasons in the message. */
public class TooManyRejectionsException extends RuntimeException {
  public TooManyRejectionsException(String message) {
    super(message);
  }
}
