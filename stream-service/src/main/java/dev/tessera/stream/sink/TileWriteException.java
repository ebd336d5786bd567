package dev.tessera.stream.sink;

/** A flush to the tile store did not complete; nothing is lost, the tiles stay dirty. */
public class TileWriteException extends RuntimeException {
  public TileWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
