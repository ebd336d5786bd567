package dev.tessera.batch.jobs;

/** No published Join has this name (Joins have their own namespace): a 404 {@code unknown-join}. */
public class UnknownJoinException extends RuntimeException {
  private final String name;

  public UnknownJoinException(String name, String source) {
    super("Join '" + name + "' is not published in " + source);
    this.name = name;
  }

  public String name() {
    return name;
  }
}
