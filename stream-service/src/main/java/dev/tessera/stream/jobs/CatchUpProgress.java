package dev.tessera.stream.jobs;

import java.util.List;

/**
 * How far a GroupBy version's job has read its source topics towards a point in time: what the
 * registry polls during a rollout (DESIGN.md "Version rollout") before it switches the version
 * live. {@code state} is the job's state on this instance, or {@link #NOT_ON_THIS_INSTANCE} (another
 * instance of the same application id may run it; then {@code caughtUp} is the offsets alone).
 *
 * @param until epoch millis: the records the job must have read are those written before it
 * @param caughtUp every partition has {@code committed >= needed}, and the job runs here (or not here at all)
 */
public record CatchUpProgress(String name, int version, String state, long until, boolean caughtUp, List<Partition> partitions) {
  public static final String NOT_ON_THIS_INSTANCE = "NOT_ON_THIS_INSTANCE";

  public CatchUpProgress {
    partitions = List.copyOf(partitions);
  }

  /**
   * @param committed the job's committed offset (the next record it reads), -1 before its first commit
   * @param needed the first offset whose record timestamp is at or after {@code until}; the end offset when there is none yet
   */
  public record Partition(String topic, int partition, long committed, long needed) {
    boolean reached() {
      return committed >= needed;
    }
  }

  /**
   * The progress of a job from its partitions and its state here (null: it does not run here).
   * Without its source topics' partitions (a topic missing) nothing can have caught up.
   */
  static CatchUpProgress of(String name, int version, JobState state, long until, List<Partition> partitions, boolean topicsMissing) {
    boolean offsets = !topicsMissing && partitions.stream().allMatch(Partition::reached);
    boolean running = state == null || state == JobState.RUNNING;
    return new CatchUpProgress(name, version, state == null ? NOT_ON_THIS_INSTANCE : state.name(), until, offsets && running, partitions);
  }
}
