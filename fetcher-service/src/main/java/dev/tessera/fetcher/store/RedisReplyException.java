package dev.tessera.fetcher.store;

/**
 * Redis answered a command with an error reply ({@code -WRONGTYPE ...}, {@code -LOADING ...}). The
 * connection is still in step: the replies after it can be read.
 */
final class RedisReplyException extends RuntimeException {
  RedisReplyException(String message) {
    super(message);
  }

  /** An error about one key only (a key of the wrong Redis type): that entity fails, the others do not. */
  boolean concernsOneKey() {
    return getMessage() != null && getMessage().startsWith("WRONGTYPE");
  }
}
