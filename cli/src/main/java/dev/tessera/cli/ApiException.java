package dev.tessera.cli;

/** A non-2xx answer of a Tessera service, with the problem detail condensed to one line. */
final class ApiException extends RuntimeException {
  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
