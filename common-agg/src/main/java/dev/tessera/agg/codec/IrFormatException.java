package dev.tessera.agg.codec;

/** Bytes that are not an IR this version can read: unknown format byte, wrong layout, truncation. */
public class IrFormatException extends RuntimeException {
  public IrFormatException(String message) {
    super(message);
  }
}
