package dev.tessera.stream.jobs;

import java.time.Instant;
import java.util.List;

/**
 * Records of a job's source topics not yet processed, measured from the job's committed offsets
 * (all instances together) and the topics' end offsets.
 */
public record Lag(long total, Instant measuredAt, List<Partition> partitions) {
  public Lag {
    partitions = List.copyOf(partitions);
  }

  /** {@code committed} is null when the job has not committed on that partition yet. */
  public record Partition(String topic, int partition, Long committed, long end, long lag) {}
}
