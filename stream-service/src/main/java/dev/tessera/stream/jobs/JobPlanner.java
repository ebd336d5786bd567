package dev.tessera.stream.jobs;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.support.LiveGroupBy;

/**
 * Decides what to do with a GroupBy's job on this instance, from what the registry says (the live
 * version, or none when retired), what was asked through the API, and the job as it is. Pure: the
 * whole decision table is tested without Kafka.
 */
final class JobPlanner {
  private JobPlanner() {}

  /** What to do with the job of the live version. */
  enum Action {
    /** Nothing to change. */
    NONE,
    /** Start a job for the live version (a job of an older version keeps running until it runs). */
    START,
    /** Same version, changed definition (e.g. allowedLateness): stop and start it again. */
    RESTART,
    /** The job failed, is waiting for its topics or stopped by itself: start it again. */
    RETRY,
    /** The job must not run: stop it (and any job of an older version) for {@link Decision#reason()}. */
    STOP
  }

  record Decision(Action action, String reason) {
    static final Decision NONE = new Decision(Action.NONE, null);
  }

  /** The job as it is: its version and definition, its state, whether a retry is due. */
  record Current(int version, GroupBy definition, JobState state, boolean retryDue) {}

  static Decision decide(LiveGroupBy live, JobIntents.Desired requested, boolean autoStart, Current current) {
    if (live == null) return new Decision(Action.STOP, "the GroupBy was retired");
    if (!live.published().definition().online()) return new Decision(Action.STOP, "the GroupBy is not online");
    if (requested == JobIntents.Desired.STOPPED) return new Decision(Action.STOP, "stopped through the API");
    if (requested == null && !autoStart) return new Decision(Action.STOP, "no job was asked for and auto-start is off");
    if (current == null || current.version() < live.version()) return new Decision(Action.START, null);
    if (current.version() > live.version()) {
      // The registry never goes back a version; a definition republished under an older number is a new job.
      return new Decision(Action.START, null);
    }
    if (!current.definition().equals(live.published().definition())) {
      return new Decision(Action.RESTART, "the definition of version " + live.version() + " changed");
    }
    boolean down = current.state() == JobState.FAILED || current.state() == JobState.WAITING_FOR_TOPICS
        || current.state() == JobState.STOPPED;
    return down && current.retryDue() ? new Decision(Action.RETRY, null) : Decision.NONE;
  }

  /** A job of an older version stops once the live version's job runs. */
  static boolean retireOlder(JobState newest) {
    return newest == JobState.RUNNING;
  }
}
