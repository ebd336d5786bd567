package dev.tessera.stream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.stream.jobs.CatchUpProgress.Partition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a version counts as caught up: every partition at or past what it needs, and the job running here, or not here at all. */
class CatchUpProgressTest {
  static final List<Partition> REACHED = List.of(new Partition("t", 0, 120, 118), new Partition("t", 1, 5, 5));
  static final List<Partition> BEHIND = List.of(new Partition("t", 0, 120, 118), new Partition("t", 1, -1, 5));

  @Test
  void aRunningJobPastEveryNeededOffsetHasCaughtUp() {
    assertThat(CatchUpProgress.of("g", 2, JobState.RUNNING, 1L, REACHED, false).caughtUp()).isTrue();
    assertThat(CatchUpProgress.of("g", 2, JobState.RUNNING, 1L, BEHIND, false).caughtUp()).as("nothing committed yet").isFalse();
    assertThat(CatchUpProgress.of("g", 2, JobState.REBALANCING, 1L, REACHED, false).caughtUp()).isFalse();
    assertThat(CatchUpProgress.of("g", 2, JobState.FAILED, 1L, REACHED, false).state()).isEqualTo("FAILED");
  }

  @Test
  void aJobThatRunsElsewhereCountsByItsOffsetsAlone() {
    CatchUpProgress p = CatchUpProgress.of("g", 2, null, 1L, REACHED, false);
    assertThat(p.state()).isEqualTo(CatchUpProgress.NOT_ON_THIS_INSTANCE);
    assertThat(p.caughtUp()).isTrue();
  }

  @Test
  void aMissingSourceTopicIsNeverCaughtUp() {
    assertThat(CatchUpProgress.of("g", 2, JobState.WAITING_FOR_TOPICS, 1L, List.of(), true).caughtUp()).isFalse();
    assertThat(CatchUpProgress.of("g", 2, null, 1L, REACHED, true).caughtUp()).isFalse();
  }
}
