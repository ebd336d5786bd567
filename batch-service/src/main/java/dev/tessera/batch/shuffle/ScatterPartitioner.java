package dev.tessera.batch.shuffle;

import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.Lake;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Splits the scatter over the files of the job's Parquet sources (those of the days its window needs): as many scatter
 * partitions as the job has key-hash partitions, file {@code k} of a source to partition {@code k mod N}. Each
 * partition's files are written into its context (relative to the lake directory), so a restarted partition reads
 * exactly the files it was given, even if the dataset gained files meanwhile. No partition at all when the job does
 * not shuffle or has no Parquet source.
 */
final class ScatterPartitioner implements Partitioner {
  static final String FILES = "tessera.shuffle.files.";

  private final Warehouse warehouse;
  private final ShuffleInput input;

  ScatterPartitioner(Warehouse warehouse, ShuffleInput input) {
    this.warehouse = warehouse;
    this.input = input;
  }

  @Override
  public Map<String, ExecutionContext> partition(int gridSize) {
    JobExecution job = StepSynchronizationManager.getContext().getStepExecution().getJobExecution();
    Shuffle shuffle = Shuffle.of(job, warehouse);
    List<SourcePlan> spilled = shuffle == null ? List.of() : input.sources(job).stream().filter(Shuffle::spills).toList();
    if (spilled.isEmpty()) return Map.of();
    Lake lake = shuffle.lake();
    int n = shuffle.buckets();
    ReadWindow window = input.window(job);
    List<ExecutionContext> contexts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ExecutionContext ctx = new ExecutionContext();
      ctx.putInt(KeyHashPartitioner.PARTITION, i);
      ctx.putInt(KeyHashPartitioner.PARTITIONS, n);
      contexts.add(ctx);
    }
    for (SourcePlan s : spilled) {
      List<List<String>> shares = new ArrayList<>();
      for (int i = 0; i < n; i++) shares.add(new ArrayList<>());
      List<Path> files = lake.files((ParquetDataset) s.table(), window.from(), window.to());
      for (int k = 0; k < files.size(); k++) shares.get(k % n).add(lake.root().relativize(files.get(k)).toString());
      for (int i = 0; i < n; i++) contexts.get(i).putString(FILES + s.index(), String.join("\n", shares.get(i)));
    }
    Map<String, ExecutionContext> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) out.put(KeyHashPartitioner.key(i), contexts.get(i));
    return out;
  }
}
