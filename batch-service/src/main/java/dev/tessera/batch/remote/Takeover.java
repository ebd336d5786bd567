package dev.tessera.batch.remote;

import java.util.Set;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What a worker does with a partition request, given the partition's step execution as the shared
 * job repository holds it. Kafka hands a request to one member of the worker group and hands it
 * again, after a rebalance, when the offset was not committed: the member died mid-partition, or
 * the request moved while its holder still runs it. The job repository tells the two apart:
 *
 * <ul>
 *   <li>the step has ended (any end: completed, failed, stopped): the request is done; a failed
 *       partition runs again only when the job is restarted, as a new step execution;
 *   <li>the job execution has ended (its manager gave up, or died and was recovered) and no live
 *       worker holds the partition: the request is stale, the partition is marked failed, never run
 *       (a restart of the job runs it as a new step execution, and two executions of one slice must
 *       never run at once);
 *   <li>no worker has claimed it yet (no holder recorded): run it;
 *   <li>its holder is alive (another member of the group, or this process while it runs the
 *       partition): wait and look again, the holder ends it (or dies, and the next look takes it over);
 *   <li>its holder is no member of the group any more (killed: its session expired, which is also
 *       what made Kafka hand the request on): take it over, from the holder's last checkpoint.
 * </ul>
 */
public final class Takeover {
  /** Where the claim records which step execution the holder claimed (beside the holder, {@link PartitionWorker#HOLDER}). */
  static final String HOLDING = PartitionWorker.HOLDER + ".execution";

  private Takeover() {}

  /**
   * The holder of step execution {@code stepExecutionId}: the worker recorded in its context when it
   * claimed this very execution, else null. A restart copies the context of the slice's last
   * execution into the new one, holder and all: that holder (perhaps still running the old
   * execution) does not hold the new one, which a live worker would otherwise wait for as long as
   * that holder lives. The old holder's writes are refused by the fence once the new one runs.
   */
  public static String holder(ExecutionContext ctx, long stepExecutionId) {
    if (!ctx.containsKey(PartitionWorker.HOLDER) || !ctx.containsKey(HOLDING) || ctx.getLong(HOLDING) != stepExecutionId) return null;
    return ctx.getString(PartitionWorker.HOLDER);
  }

  public enum Decision {
    /** Run the partition (first run, or a take-over from its last checkpoint). */
    RUN,
    /** The partition has ended: acknowledge the request, do nothing. */
    DONE,
    /** Another live worker (or this one) holds it: look again later. */
    WAIT,
    /** Its job execution has ended and nobody alive holds it: mark it failed, do not run it. */
    ORPHANED
  }

  /**
   * @param status the step execution's status now
   * @param holder the worker recorded as running it, or null
   * @param live the workers alive now: the members of the group (this worker counted only while it runs
   *     this partition: a holder that is this process but no longer runs it left it behind)
   * @param job the status of the partition's job execution now
   */
  public static Decision decide(BatchStatus status, String holder, Set<String> live, BatchStatus job) {
    if (!status.isRunning()) return Decision.DONE;
    boolean heldByLive = holder != null && live.contains(holder);
    if (heldByLive) return Decision.WAIT;
    return job.isRunning() ? Decision.RUN : Decision.ORPHANED;
  }
}
