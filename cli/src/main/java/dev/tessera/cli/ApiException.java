package dev.tessera.cli;

/** A non-2xx answer of a Tessera service, with the problem detail condensed to one line. */
final class ApiException extends RuntimeException {
  private final int status;
  private final String type;

  ApiException(int status, String message) {
    this(status, message, null);
  }

  ApiException(int status, String message, String type) {
    super(message);
    this.status = status;
    this.type = type;
  }

  int status() {
    return status;
  }

  /** Whether the problem+json {@code type} ends with {@code suffix} (such as "nothing-to-roll-out"); false without a type. */
  boolean isProblem(String suffix) {
    return type != null && type.endsWith(suffix);
  }
}
