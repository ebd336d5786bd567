package dev.tessera.stream.jobs;

import static dev.tessera.stream.jobs.JobIntents.Desired.RUNNING;
import static dev.tessera.stream.jobs.JobIntents.Desired.STOPPED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.StreamingConfig;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.stream.jobs.JobPlanner.Action;
import dev.tessera.stream.jobs.JobPlanner.Current;
import dev.tessera.support.LiveGroupBy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The job rules as a decision table: registry state x API requests x auto-start x the job as it is. */
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
    assertThat(JobPlanner.decide(live(2, ONLINE), RUNNING, false, running(1)).action()).isEqualTo(Action.START);
    assertThat(JobPlanner.retireOlder(JobState.STARTING)).isFalse();
    assertThat(JobPlanner.retireOlder(JobState.WAITING_FOR_TOPICS)).isFalse();
    assertThat(JobPlanner.retireOlder(JobState.RUNNING)).isTrue();
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
