package dev.tessera.support;

/**
 * Whether a definition exists cannot be told right now: the registry topic has not been read to
 * its end and the registry REST API did not answer (or answered something unusable). Services map
 * it to their "definitions unavailable, retry shortly" answer.
 */
public final class DefinitionsUnavailableException extends RuntimeException {
  public DefinitionsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
