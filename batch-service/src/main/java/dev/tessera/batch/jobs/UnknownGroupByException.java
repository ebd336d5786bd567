package dev.tessera.batch.jobs;

/** The request names a GroupBy that is not live (answered with 404). */
public class UnknownGroupByException extends RuntimeException {
  private final String name;

  public UnknownGroupByException(String name, String source) {
    super("GroupBy '" + name + "' is not live in " + source);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
