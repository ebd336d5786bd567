package dev.tessera.batch.read;

/** A GroupBy source the batch jobs cannot read (a computed key, a bad table name). */
public class UnsupportedSourceException extends RuntimeException {
  public UnsupportedSourceException(String message) {
    super(message);
  }
}
