package dev.tessera.batch.remote;

import static dev.tessera.batch.remote.Takeover.Decision.DONE;
import static dev.tessera.batch.remote.Takeover.Decision.ORPHANED;
import static dev.tessera.batch.remote.Takeover.Decision.RUN;
import static dev.tessera.batch.remote.Takeover.Decision.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.infrastructure.item.ExecutionContext;

class TakeoverTest {
  static final BatchStatus JOB_RUNNING = BatchStatus.STARTED;

  @Test
  void aPartitionNoWorkerHasClaimedRuns() {
    assertThat(Takeover.decide(BatchStatus.STARTING, null, Set.of("w1", "w2"), JOB_RUNNING)).isEqualTo(RUN);
  }

  @Test
  void aPartitionWhoseHolderIsAliveIsLeftToItsHolder() {
    assertThat(Takeover.decide(BatchStatus.STARTED, "w1", Set.of("w1", "w2"), JOB_RUNNING)).isEqualTo(WAIT);
    // claimed, not started yet: still the holder's
    assertThat(Takeover.decide(BatchStatus.STARTING, "w1", Set.of("w1"), JOB_RUNNING)).isEqualTo(WAIT);
  }

  @Test
  void aPartitionWhoseHolderLeftTheGroupIsTakenOver() {
    assertThat(Takeover.decide(BatchStatus.STARTED, "w1", Set.of("w2"), JOB_RUNNING)).isEqualTo(RUN);
    assertThat(Takeover.decide(BatchStatus.STOPPING, "w1", Set.of(), JOB_RUNNING)).isEqualTo(RUN);
  }

  @Test
  void anEndedPartitionIsNeverRunAgainByARedeliveredRequest() {
    for (BatchStatus s : new BatchStatus[] {BatchStatus.COMPLETED, BatchStatus.FAILED, BatchStatus.STOPPED, BatchStatus.ABANDONED,
        BatchStatus.UNKNOWN}) {
      assertThat(Takeover.decide(s, "w1", Set.of(), JOB_RUNNING)).as("%s", s).isEqualTo(DONE);
      assertThat(Takeover.decide(s, null, Set.of(), JOB_RUNNING)).as("%s", s).isEqualTo(DONE);
    }
  }

  @Test
  void aRequestWhoseJobHasEndedIsNeverRunButMarkedFailed() {
    // the manager gave up (no worker alive, or its timeout): a restart will run the slice as a new step execution
    assertThat(Takeover.decide(BatchStatus.STARTING, null, Set.of("w1"), BatchStatus.FAILED)).isEqualTo(ORPHANED);
    assertThat(Takeover.decide(BatchStatus.STARTED, "w0", Set.of("w1"), BatchStatus.FAILED)).isEqualTo(ORPHANED);
    // ... unless a live worker still runs it: it ends it
    assertThat(Takeover.decide(BatchStatus.STARTED, "w1", Set.of("w1"), BatchStatus.FAILED)).isEqualTo(WAIT);
    assertThat(Takeover.decide(BatchStatus.COMPLETED, "w1", Set.of(), BatchStatus.FAILED)).isEqualTo(DONE);
  }

  @Test
  void theHolderIsTheOneThatClaimedThisExecutionNotOneCopiedByARestart() {
    ExecutionContext claimed = new ExecutionContext();
    claimed.putString(PartitionWorker.HOLDER, "w1");
    claimed.putLong(Takeover.HOLDING, 7);
    assertThat(Takeover.holder(claimed, 7)).isEqualTo("w1");
    // a restart's new execution (id 9) of the slice starts with a copy of execution 7's context: nobody holds it yet
    assertThat(Takeover.holder(claimed, 9)).isNull();
    assertThat(Takeover.decide(BatchStatus.STARTING, Takeover.holder(claimed, 9), Set.of("w1", "w2"), JOB_RUNNING)).isEqualTo(RUN);
    assertThat(Takeover.holder(new ExecutionContext(), 7)).isNull();
  }
}
