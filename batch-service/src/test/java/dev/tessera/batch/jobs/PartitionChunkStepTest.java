package dev.tessera.batch.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReadStats;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.read.SourceCursor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;

/**
 * The job template without a warehouse: a partition of ten entities (two rows read each, the first
 * row of every fifth entity rejected) in chunks of three, written to an in-memory "table" that, like
 * the real outputs, clears what comes after the checkpoint when it opens.
 */
class PartitionChunkStepTest {
  static final String STEP = "job.compute.partition:p000";
  static final int ENTITIES = 10;

  final ResourcelessJobRepository repository = new ResourcelessJobRepository();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  /** Committed rows by key, as a warehouse table would hold them (a crash does not undo a commit). */
  final TreeMap<Long, Integer> table = new TreeMap<>();
  FailurePoints failures = FailurePoints.NONE;
  int entityCount = ENTITIES;
  /** Rows the reader rejects at its end, that no entity took (e.g. a last key whose rows are all bad). */
  long rejectedAtEnd;

  @Test
  void aPartitionCommitsAChunkPerChunkEntitiesAndCountsRowsNotItems() throws Exception {
    StepExecution step = run(params(-1), null);

    assertThat(step.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    PartitionCheckpoint c = PartitionCheckpoint.read(step.getExecutionContext(), 0);
    assertThat(c.chunks()).isEqualTo(4); // 3 + 3 + 3 + 1
    assertThat(c.entities()).isEqualTo(ENTITIES);
    assertThat(c.lastEntity()).containsExactly(9L);
    assertThat(c.counters()).containsEntry("keys", (long) ENTITIES);
    assertThat(step.getReadCount()).isEqualTo(2 * ENTITIES);
    assertThat(step.getReadSkipCount()).isEqualTo(2);
    assertThat(step.getWriteCount()).isEqualTo(ENTITIES);
    assertThat(step.getCommitCount()).isEqualTo(4);
    assertThat(table).hasSize(ENTITIES);
    assertThat(meters.get("tessera.batch.rows").tag("outcome", "read").counter().count()).isEqualTo(2 * ENTITIES);
    assertThat(meters.get("tessera.batch.rows").tag("outcome", "written").counter().count()).isEqualTo(ENTITIES);
    assertThat(meters.get("tessera.batch.entities").counter().count()).isEqualTo(ENTITIES);
  }

  @Test
  void aPartitionThatDiesAfterACommitResumesAfterItsLastCheckpointAndCountsEveryRowOnce() throws Exception {
    int[] commits = {0};
    failures = (point, s) -> {
      if (point.equals(FailurePoints.CHUNK_COMMITTED) && ++commits[0] == 2) throw new IllegalStateException("crash");
    };
    StepExecution failed = run(params(-1), null);
    assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
    PartitionCheckpoint saved = PartitionCheckpoint.read(failed.getExecutionContext(), 0);
    assertThat(saved.chunks()).as("the crashed chunk's checkpoint is lost").isEqualTo(1);
    assertThat(saved.lastEntity()).containsExactly(2L);
    assertThat(table).as("but its rows were committed").hasSize(6);
    assertThat(failed.getReadCount()).as("the failed chunk is not counted").isEqualTo(6);

    StepExecution resumed = run(params(-1), failed.getExecutionContext());
    assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
    PartitionCheckpoint done = PartitionCheckpoint.read(resumed.getExecutionContext(), 0);
    assertThat(table.keySet()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(table.values()).as("nothing written twice").containsOnly(1);
    assertThat(done.counters()).containsEntry("keys", (long) ENTITIES);
    assertThat(done.chunks()).isEqualTo(4); // 1 before the crash, then 3 + 3 + 1
    assertThat(done.entities()).isEqualTo(ENTITIES);
    assertThat(resumed.getReadCount()).isEqualTo(2 * ENTITIES);
    assertThat(resumed.getCommitCount()).isEqualTo(4);
    assertThat(resumed.getWriteCount()).isEqualTo(ENTITIES);
  }

  @Test
  void aPartitionOverTheRejectLimitFailsWithTheChunkThatCrossedItCheckpointed() throws Exception {
    StepExecution step = run(params(1), null);

    assertThat(step.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(step.getFailureExceptions()).anySatisfy(e -> assertThat(e).isInstanceOf(TooManyRejectionsException.class)
        .hasMessageContaining("partition 0/1 rejected 2 rows, more than the limit of 1"));
    PartitionCheckpoint c = PartitionCheckpoint.read(step.getExecutionContext(), 0);
    assertThat(c.chunks()).as("entity 5, the second rejection, is in the second chunk, committed").isEqualTo(2);
    assertThat(step.getReadSkipCount()).isEqualTo(2);
  }

  @Test
  void aPartitionOverTheRejectLimitOnlyOnceItsReaderEndedFailsToo() throws Exception {
    entityCount = 0;
    rejectedAtEnd = 2;
    StepExecution step = run(params(1), null);

    assertThat(step.getStatus()).isEqualTo(BatchStatus.FAILED);
    assertThat(step.getExitStatus().getExitDescription()).contains("partition 0/1 rejected 2 rows, more than the limit of 1");
    assertThat(PartitionCheckpoint.read(step.getExecutionContext(), 0).stats(0).rejected()).isEqualTo(2);
    assertThat(step.getReadSkipCount()).isEqualTo(2);
  }

  private static JobParameters params(long maxRejected) {
    return new JobParametersBuilder().addLong(JobParameterNames.MAX_REJECTED_ROWS, maxRejected).toJobParameters();
  }

  /** One execution of partition 0 of 1, from {@code resume} (a failed execution's context) if given. */
  private StepExecution run(JobParameters params, ExecutionContext resume) throws Exception {
    JobInstance instance = repository.createJobInstance("job", params);
    JobExecution job = repository.createJobExecution(instance, params, new ExecutionContext());
    StepExecution step = repository.createStepExecution(STEP, job);
    if (resume != null) step.setExecutionContext(new ExecutionContext(resume));
    step.getExecutionContext().putInt(KeyHashPartitioner.PARTITION, 0);
    step.getExecutionContext().putInt(KeyHashPartitioner.PARTITIONS, 1);
    new PartitionChunkStep(STEP, repository, new ResourcelessTransactionManager(), new Task(), 3, 0, failures, new JobMetrics(meters), null)
        .execute(step);
    return step;
  }

  /** Entities 0..9 after the checkpoint; an output that clears the table after it and writes one row per entity. */
  final class Task implements PartitionTask {
    @Override
    public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
      long[] next = {resume == null || resume.lastEntity() == null ? 0 : (Long) resume.lastEntity().getFirst() + 1};
      boolean[] ended = {false};
      ReadStats stats = new ReadStats(0);
      if (resume != null) stats.add(resume.stats(0));
      return Reader.of(() -> {
        if (next[0] >= entityCount) {
          if (!ended[0]) stats.add(ReadStats.ofCounts(rejectedAtEnd, 0, 0, rejectedAtEnd, 0));
          ended[0] = true;
          return null;
        }
        long k = next[0]++;
        boolean rejected = k % 5 == 0;
        stats.add(ReadStats.ofCounts(2, rejected ? 1 : 2, 0, rejected ? 1 : 0, 0));
        return new Entity(List.of(k), List.of(), null);
      }, () -> new ReaderState(List.of(new SourceCursor.State(next[0] == 0 ? null : List.of(next[0] - 1), next[0] >= entityCount,
          copy(stats))), null), () -> {});
    }

    @Override
    public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
      long after = resume == null || resume.lastEntity() == null ? -1 : (Long) resume.lastEntity().getFirst();
      table.tailMap(after, false).clear();
      List<Long> buffered = new ArrayList<>();
      long[] committed = {0};
      return new Output() {
        @Override
        public void accept(Entity entity) {
          buffered.add((Long) entity.key().getFirst());
        }

        @Override
        public long commit() {
          long n = buffered.size();
          buffered.forEach(k -> table.merge(k, 1, Integer::sum));
          buffered.clear();
          committed[0] += n;
          return n;
        }

        @Override
        public Map<String, Long> drainCounters() {
          Map<String, Long> out = Map.of("keys", committed[0]);
          committed[0] = 0;
          return out;
        }

        @Override
        public void close() {}
      };
    }
  }

  private static ReadStats copy(ReadStats s) {
    ReadStats c = new ReadStats(0);
    c.add(s);
    return c;
  }
}
