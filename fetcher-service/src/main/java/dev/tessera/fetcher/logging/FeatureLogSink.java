package dev.tessera.fetcher.logging;

/** Where sampled feature log records go (Kafka in the service). Called from one thread only. */
public interface FeatureLogSink extends AutoCloseable {

  /** Told when a record has been stored or has failed for good. */
  interface Callback {
    void sent();

    void failed(Exception e);
  }

  /** Sends asynchronously where possible; may block (e.g. on Kafka metadata) but must not retry forever. */
  void send(FeatureLogEntry record, Callback callback);

  /** Sends what is buffered and releases resources, waiting at most a few seconds. */
  @Override
  void close();
}
