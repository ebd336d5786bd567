package dev.tessera.batch.jobs;

/** No job has this id (answered with 404). */
public class UnknownJobException extends RuntimeException {
  public UnknownJobException(long id) {
    super("there is no job " + id);
  }
}
