package dev.tessera.stream.jobs;

/** Kafka did not answer (or refused) a request the job manager needed. */
public class KafkaUnavailableException extends RuntimeException {
  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
