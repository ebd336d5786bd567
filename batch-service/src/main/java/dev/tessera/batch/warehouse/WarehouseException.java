package dev.tessera.batch.warehouse;

/** A warehouse statement failed; the message names the statement's purpose and the database's reason. */
public class WarehouseException extends RuntimeException {
  public WarehouseException(String message, Throwable cause) {
    super(message + (cause == null ? "" : ": " + cause.getMessage()), cause);
  }

  public WarehouseException(String message) {
    super(message);
  }
}
