package dev.tessera.batch.shuffle;

import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/** One scatter partition: spills the files its context names, of every Parquet source, into the job's shuffle folder. */
final class ScatterTasklet implements Tasklet {
  private final Warehouse warehouse;
  private final ShuffleInput input;
  private final FailurePoints failures;

  ScatterTasklet(Warehouse warehouse, ShuffleInput input, FailurePoints failures) {
    this.warehouse = warehouse;
    this.input = input;
    this.failures = failures;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) {
    StepExecution step = chunk.getStepContext().getStepExecution();
    ExecutionContext ctx = step.getExecutionContext();
    Shuffle shuffle = Shuffle.of(step.getJobExecution(), warehouse);
    int scatter = ctx.getInt(KeyHashPartitioner.PARTITION);
    for (SourcePlan s : input.sources(step.getJobExecution())) {
      String files = ctx.getString(ScatterPartitioner.FILES + s.index(), null);
      if (files == null) continue;
      List<Path> paths = files.isEmpty() ? List.of()
          : Arrays.stream(files.split("\n")).map(f -> shuffle.lake().root().resolve(f)).toList();
      shuffle.scatter(warehouse, s, scatter, paths);
      contribution.incrementReadCount();
    }
    failures.reached(FailurePoints.SCATTER_WRITTEN, step);
    return RepeatStatus.FINISHED;
  }
}
