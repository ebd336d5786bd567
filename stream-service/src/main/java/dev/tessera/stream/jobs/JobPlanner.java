package dev.tessera.stream.jobs;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.support.LiveGroupBy;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides what to do with a GroupBy's jobs on this instance, from what the registry says (the live
 * version, or none when retired, and the version being rolled out, if any), what was asked through
 * the API, and the jobs as they are. Pure: the whole decision table is tested without Kafka.
 *
 * <p>During a rollout (DESIGN.md "Version rollout") two versions run side by side: the pending one
 * (the target: its data must catch up before the registry switches it live) and the live one,
 * whose tiles the fetcher serves until then.
 */
final class JobPlanner {
  private JobPlanner() {}

  /** What to do with the job of one version. */
  enum Action {
    /** Nothing to change. */
    NONE,
    /** Start a job for the version (a job of an older version keeps running until it runs). */
    START,
    /** Same version, changed definition (e.g. allowedLateness): stop and start it again. */
    RESTART,
    /** The job failed, is waiting for its topics or stopped by itself: start it again. */
    RETRY,
    /**
     * The job must not run: stop it for {@link Decision#reason()} (for the target: every job of the
     * GroupBy).
     */
    STOP
  }

  record Decision(Action action, String reason) {
    static final Decision NONE = new Decision(Action.NONE, null);
  }

  /** The job of one version as it is: its version and definition, its state, whether a retry is due. */
  record Current(int version, GroupBy definition, JobState state, boolean retryDue) {}

  /** What the registry says of a GroupBy: its live version (null: retired) and its pending one (null: none). */
  record Versions(LiveGroupBy live, LiveGroupBy pending) {
    /**
     * The version a job must run for: the pending one when it is online and above the live one (the
     * registry never lowers a version; an offline pending version has no job), else the live one.
     * A pending version with no live one (a first version rolled out) is the target too.
     */
    LiveGroupBy target() {
      boolean rollingOut = pending != null && pending.published().definition().online()
          && (live == null || pending.version() > live.version());
      return rollingOut ? pending : live;
    }

    /** The live version while a rollout runs beside it (its job serves the fetcher meanwhile); else null. */
    LiveGroupBy beside() {
      LiveGroupBy target = target();
      return target != null && target != live && live != null && live.published().definition().online() ? live : null;
    }

    /** The version the jobs of older versions give way to: the live one beside a rollout, else the target. */
    LiveGroupBy anchor() {
      LiveGroupBy beside = beside();
      return beside != null ? beside : target();
    }
  }

  /**
   * What to do with the job of {@code version} (the target, or the live version beside it), given
   * that version's job on this instance ({@code current}, null when there is none).
   */
  static Decision decide(LiveGroupBy version, JobIntents.Desired requested, boolean autoStart, Current current) {
    if (version == null) return new Decision(Action.STOP, "the GroupBy was retired");
    if (!version.published().definition().online()) return new Decision(Action.STOP, "the GroupBy is not online");
    if (requested == JobIntents.Desired.STOPPED) return new Decision(Action.STOP, "stopped through the API");
    if (requested == null && !autoStart) return new Decision(Action.STOP, "no job was asked for and auto-start is off");
    // A definition republished under another number (even an older one: the registry never goes back) is a new job.
    if (current == null || current.version() != version.version()) return new Decision(Action.START, null);
    if (!current.definition().equals(version.published().definition())) {
      return new Decision(Action.RESTART, "the definition of version " + version.version() + " changed");
    }
    boolean down = current.state() == JobState.FAILED || current.state() == JobState.WAITING_FOR_TOPICS
        || current.state() == JobState.STOPPED;
    return down && current.retryDue() ? new Decision(Action.RETRY, null) : Decision.NONE;
  }

  /**
   * The jobs to stop, with the reason, among {@code active} (version → job that is not stopped):
   * a version above the anchor that is not the target stops at once (a rollout superseded or
   * cancelled: nobody serves it); a version below the anchor stops once the anchor's job runs (so
   * the fetcher always has a version whose tiles are written).
   *
   * @param anchorState the state of the anchor's job on this instance, null when there is none
   */
  static Map<Integer, String> toStop(Map<Integer, JobState> active, int anchor, int target, JobState anchorState) {
    Map<Integer, String> stop = new TreeMap<>();
    active.forEach((version, state) -> {
      if (version == anchor || version == target) return;
      if (version > anchor) stop.put(version, "version " + version + " is no longer being rolled out");
      else if (anchorState == JobState.RUNNING) stop.put(version, "replaced by version " + anchor);
    });
    return stop;
  }
}
