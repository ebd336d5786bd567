package dev.tessera.stream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

@SuppressWarnings("unchecked")
class JobsHealthIndicatorTest {
  static JobsHealthIndicator.JobStatus job(String name, JobState state) {
    return new JobsHealthIndicator.JobStatus(name, 2, state, null, state == JobState.FAILED ? "StreamsException: boom" : null, 0L);
  }

  @Test
  void runningAndWaitingJobsAreUp() {
    Health h = JobsHealthIndicator.health(List.of(job("a", JobState.RUNNING), job("b", JobState.WAITING_FOR_TOPICS)), true);
    assertThat(h.getStatus()).isEqualTo(Status.UP);
    assertThat((Map<String, Object>) h.getDetails().get("jobs")).containsOnlyKeys("a", "b");
  }

  @Test
  void aFailedJobTurnsTheInstanceDownAndSaysWhy() {
    Health h = JobsHealthIndicator.health(List.of(job("a", JobState.RUNNING), job("b", JobState.FAILED)), true);
    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
    assertThat((Map<String, Object>) ((Map<String, Object>) h.getDetails().get("jobs")).get("b")).containsEntry("state", "FAILED")
        .containsEntry("error", "StreamsException: boom");
  }

  @Test
  void anInstanceThatHasNotReadTheRegistryYetIsDown() {
    assertThat(JobsHealthIndicator.health(List.of(), false).getStatus()).isEqualTo(Status.DOWN);
  }

  @Test
  void stoppedJobsAreLeftOut() {
    Health h = JobsHealthIndicator.health(List.of(job("old", JobState.STOPPED)), true);
    assertThat(h.getStatus()).isEqualTo(Status.UP);
    assertThat((Map<String, Object>) h.getDetails().get("jobs")).isEmpty();
  }

  @Test
  void duringARolloutBothVersionsAreShownTheNewestUnderTheGroupBysName() {
    var pending = new JobsHealthIndicator.JobStatus("g", 3, JobState.STARTING, null, null, null);
    var live = new JobsHealthIndicator.JobStatus("g", 2, JobState.RUNNING, null, null, 0L);
    Map<String, Object> jobs = (Map<String, Object>) JobsHealthIndicator.health(List.of(pending, live), true).getDetails().get("jobs");
    assertThat(jobs).containsOnlyKeys("g", "g@v2");
    assertThat((Map<String, Object>) jobs.get("g")).containsEntry("version", 3);
    assertThat((Map<String, Object>) jobs.get("g@v2")).containsEntry("version", 2).containsEntry("state", "RUNNING");
  }
}
