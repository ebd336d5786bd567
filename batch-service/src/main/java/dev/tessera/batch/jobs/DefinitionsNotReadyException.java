package dev.tessera.batch.jobs;

/** The definitions have not been read yet (registry topic not caught up): answered with 503 and Retry-After. */
public class DefinitionsNotReadyException extends RuntimeException {
  public DefinitionsNotReadyException(String source) {
    super("GroupBy definitions are still loading from " + source + "; retry in a few seconds");
  }
}
