package dev.tessera.batch.remote;

import static dev.tessera.batch.remote.Takeover.Decision.DONE;
import static dev.tessera.batch.remote.Takeover.Decision.RUN;
import static dev.tessera.batch.remote.Takeover.Decision.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;

class TakeoverTest {

  @Test
  void aPartitionNoWorkerHasClaimedRuns() {
    assertThat(Takeover.decide(BatchStatus.STARTING, null, Set.of("w1", "w2"))).isEqualTo(RUN);
  }

  @Test
  void aPartitionWhoseHolderIsAliveIsLeftToItsHolder() {
    assertThat(Takeover.decide(BatchStatus.STARTED, "w1", Set.of("w1", "w2"))).isEqualTo(WAIT);
    // claimed, not started yet: still the holder's
    assertThat(Takeover.decide(BatchStatus.STARTING, "w1", Set.of("w1"))).isEqualTo(WAIT);
  }

  @Test
  void aPartitionWhoseHolderLeftTheGroupIsTakenOver() {
    assertThat(Takeover.decide(BatchStatus.STARTED, "w1", Set.of("w2"))).isEqualTo(RUN);
    assertThat(Takeover.decide(BatchStatus.STOPPING, "w1", Set.of())).isEqualTo(RUN);
  }

  @Test
  void anEndedPartitionIsNeverRunAgainByARedeliveredRequest() {
    for (BatchStatus s : new BatchStatus[] {BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.STOPPED, BatchStatus.ABANDONED,
        BatchStatus.UNKNOWN}) {
      assertThat(Takeover.decide(s, "w1", Set.of())).as("%s", s).isEqualTo(DONE);
      assertThat(Takeover.decide(s, null, Set.of())).as("%s", s).isEqualTo(DONE);
    }
  }
}
