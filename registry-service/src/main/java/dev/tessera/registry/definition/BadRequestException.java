package dev.tessera.registry.definition;

/** A request the API cannot act on (a malformed header or parameter, a batch that is not a list): 400. */
public class BadRequestException extends RuntimeException {
  public BadRequestException(String message) {
    super(message);
  }
}
