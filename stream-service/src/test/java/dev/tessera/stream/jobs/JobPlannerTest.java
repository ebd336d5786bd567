package dev.tessera.stream.jobs;

import static dev.tessera.stream.jobs.JobIntents.Desired.RUNNING;
import static dev.tessera.stream.jobs.JobIntents.Desired.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.StreamingConfig;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.stream.jobs.JobPlanner.Action;
import dev.tessera.stream.jobs.JobPlanner.Current;
import dev.tessera.stream.jobs.JobPlanner.Versions;
import dev.tessera.support.LiveGroupBy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job rules as a decision table: registry state (live and pending version) x API
 * requests x auto-start x the jobs as they are.
 */
class JobPlannerTest {

  static GroupBy def(boolean online, Duration lateness) {
    return GroupBy.builder("g").online(online).keys("k")
        .source(EventSource.builder().table("t").topic("t").column("k", "STRING").column("v", "DOUBLE").column("ts", "LONG")
            .timeColumn("ts").build())
        .aggregate("v", Operation.SUM, "1h").streaming(new StreamingConfig(Duration.ofMinutes(5), lateness)).build();
  }

  static LiveGroupBy live(int version, GroupBy g) {
    return new LiveGroupBy(new PublishedGroupBy("g", version, g, Instant.EPOCH, "t"), GroupByCompiler.compile(g).orThrow());
  }

  static final GroupBy ONLINE = def(true, Duration.ofHours(1));
  static final GroupBy OFFLINE = def(false, Duration.ofHours(1));

  static Current running(int version) {
    return new Current(version, ONLINE, JobState.RUNNING, true);
  }

  @Test
  void aRequestedJobOfALiveOnlineGroupByStarts() {
    assertThat(JobPlanner.decide(live(1, ONLINE), RUNNING, false, null).action()).isEqualTo(Action.START);
    assertThat(JobPlanner.decide(live(1, ONLINE), RUNNING, false, running(1)).action()).isEqualTo(Action.NONE);
  }

  @Test
  void autoStartRunsOnlineGroupBysUnlessStoppedThroughTheApi() {
    assertThat(JobPlanner.decide(live(1, ONLINE), null, true, null).action()).isEqualTo(Action.START);
    assertThat(JobPlanner.decide(live(1, ONLINE), null, false, null).action()).isEqualTo(Action.STOP);
    var stopped = JobPlanner.decide(live(1, ONLINE), STOPPED, true, running(1));
    assertThat(stopped.action()).isEqualTo(Action.STOP);
    assertThat(stopped.reason()).isEqualTo("stopped through the API");
  }

  @Test
  void aNewVersionGetsANewJobAndTheOldStopsOnlyOnceTheNewRuns() {
    assertThat(JobPlanner.decide(live(2, ONLINE), RUNNING, false, null).action()).isEqualTo(Action.START);
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.STARTING), 2, 2, JobState.STARTING)).isEmpty();
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.WAITING_FOR_TOPICS), 2, 2, JobState.WAITING_FOR_TOPICS))
        .isEmpty();
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.RUNNING), 2, 2, JobState.RUNNING))
        .containsExactly(entry(1, "replaced by version 2"));
  }

  // ---- rollouts: a pending version beside the live one ----

  @Test
  void thePendingVersionIsTheTargetWhenItIsOnlineAndAboveTheLiveOne() {
    var rollout = new Versions(live(1, ONLINE), live(2, ONLINE));
    assertThat(rollout.target().version()).isEqualTo(2);
    assertThat(rollout.beside().version()).as("the live version's job serves meanwhile").isEqualTo(1);
    assertThat(rollout.anchor().version()).isEqualTo(1);

    var none = new Versions(live(1, ONLINE), null);
    assertThat(none.target().version()).isEqualTo(1);
    assertThat(none.beside()).isNull();
    assertThat(none.anchor().version()).isEqualTo(1);

    var notAbove = new Versions(live(2, ONLINE), live(2, ONLINE));
    assertThat(notAbove.target().version()).as("a pending version the live one reached is over").isEqualTo(2);
    assertThat(notAbove.beside()).isNull();

    var offlinePending = new Versions(live(1, ONLINE), live(2, OFFLINE));
    assertThat(offlinePending.target().version()).as("an offline version has no job").isEqualTo(1);
    assertThat(offlinePending.beside()).isNull();

    var offlineLive = new Versions(live(1, OFFLINE), live(2, ONLINE));
    assertThat(offlineLive.target().version()).isEqualTo(2);
    assertThat(offlineLive.beside()).as("an offline live version has no job to keep").isNull();
    assertThat(offlineLive.anchor().version()).isEqualTo(2);

    var firstVersion = new Versions(null, live(1, ONLINE));
    assertThat(firstVersion.target().version()).isEqualTo(1);
    assertThat(firstVersion.beside()).isNull();
    assertThat(new Versions(null, null).target()).isNull();
  }

  @Test
  void duringARolloutBothJobsRunAndEachIsStartedOrRetriedOnItsOwn() {
    var rollout = new Versions(live(1, ONLINE), live(2, ONLINE));
    assertThat(JobPlanner.decide(rollout.target(), RUNNING, false, null).action()).isEqualTo(Action.START);
    assertThat(JobPlanner.decide(rollout.beside(), RUNNING, false, running(1)).action()).isEqualTo(Action.NONE);
    assertThat(JobPlanner.decide(rollout.beside(), RUNNING, false, null).action())
        .as("the live version's job is started too when it does not run here").isEqualTo(Action.START);
    assertThat(JobPlanner.decide(rollout.beside(), RUNNING, false, new Current(1, ONLINE, JobState.FAILED, true)).action())
        .isEqualTo(Action.RETRY);
    assertThat(JobPlanner.decide(rollout.target(), null, true, null).action()).as("auto-start").isEqualTo(Action.START);
    assertThat(JobPlanner.decide(rollout.target(), STOPPED, true, running(2)).action()).isEqualTo(Action.STOP);
    // neither version stops the other while the pending one is not up
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.STARTING), 1, 2, JobState.RUNNING)).isEmpty();
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.RUNNING), 1, 2, JobState.RUNNING)).isEmpty();
  }

  @Test
  void aSupersededOrCancelledRolloutStopsAtOnce() {
    var superseded = new Versions(live(1, ONLINE), live(3, ONLINE));
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.RUNNING, 3, JobState.STARTING),
        superseded.anchor().version(), superseded.target().version(), JobState.RUNNING))
        .containsExactly(entry(2, "version 2 is no longer being rolled out"));
    var cancelled = new Versions(live(1, ONLINE), null);
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.RUNNING), cancelled.anchor().version(),
        cancelled.target().version(), JobState.RUNNING)).containsExactly(entry(2, "version 2 is no longer being rolled out"));
    assertThat(JobPlanner.toStop(Map.of(1, JobState.FAILED, 2, JobState.RUNNING), 1, 1, JobState.FAILED))
        .as("even while the live version's job is down").containsOnlyKeys(2);
  }

  @Test
  void onceThePendingVersionIsLiveTheOlderJobStopsWhenItRuns() {
    var wentLive = new Versions(live(2, ONLINE), null);
    assertThat(JobPlanner.decide(wentLive.target(), RUNNING, false, running(2)).action()).isEqualTo(Action.NONE);
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.REBALANCING), 2, 2, JobState.REBALANCING)).isEmpty();
    assertThat(JobPlanner.toStop(Map.of(1, JobState.RUNNING, 2, JobState.RUNNING), 2, 2, JobState.RUNNING))
        .containsExactly(entry(1, "replaced by version 2"));
  }

  @Test
  void retiredOrOfflineGroupBysStop() {
    var retired = JobPlanner.decide(null, RUNNING, true, running(1));
    assertThat(retired.action()).isEqualTo(Action.STOP);
    assertThat(retired.reason()).isEqualTo("the GroupBy was retired");
    var offline = JobPlanner.decide(live(1, def(false, Duration.ofHours(1))), RUNNING, true, running(1));
    assertThat(offline.action()).isEqualTo(Action.STOP);
    assertThat(offline.reason()).isEqualTo("the GroupBy is not online");
  }

  @Test
  void aChangedDefinitionUnderTheSameVersionRestartsTheJob() {
    var d = JobPlanner.decide(live(1, def(true, Duration.ofHours(2))), RUNNING, false, running(1));
    assertThat(d.action()).isEqualTo(Action.RESTART);
    assertThat(d.reason()).isEqualTo("the definition of version 1 changed");
  }

  @Test
  void failedOrWaitingJobsAreRetriedWhenTheBackOffAllows() {
    assertThat(JobPlanner.decide(live(1, ONLINE), RUNNING, false, new Current(1, ONLINE, JobState.FAILED, true)).action())
        .isEqualTo(Action.RETRY);
    assertThat(JobPlanner.decide(live(1, ONLINE), RUNNING, false, new Current(1, ONLINE, JobState.FAILED, false)).action())
        .isEqualTo(Action.NONE);
    assertThat(JobPlanner.decide(live(1, ONLINE), RUNNING, false, new Current(1, ONLINE, JobState.WAITING_FOR_TOPICS, true))
        .action()).isEqualTo(Action.RETRY);
    assertThat(JobPlanner.decide(live(1, ONLINE), RUNNING, false, new Current(1, ONLINE, JobState.REBALANCING, true)).action())
        .isEqualTo(Action.NONE);
  }
}
