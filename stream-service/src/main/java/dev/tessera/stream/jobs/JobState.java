package dev.tessera.stream.jobs;

/** Where a streaming job is in its life, as the API reports it. */
public enum JobState {
  /** Joining its consumer group, restoring state. */
  STARTING,
  /** Processing events. */
  RUNNING,
  /** Partitions moving between instances or threads; processing resumes by itself. */
  REBALANCING,
  /** A source topic does not exist yet; the job starts when it does. */
  WAITING_FOR_TOPICS,
  /** Shutting down. */
  STOPPING,
  /** Stopped: through the API, because its version was replaced or retired, or the GroupBy went offline. */
  STOPPED,
  /** Kafka Streams gave up (see {@code error}); the service restarts the job with a back-off. */
  FAILED;

  public boolean isActive() {
    return this == STARTING || this == RUNNING || this == REBALANCING || this == WAITING_FOR_TOPICS;
  }
}
