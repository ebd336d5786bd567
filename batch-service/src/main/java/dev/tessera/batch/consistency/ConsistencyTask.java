package dev.tessera.batch.consistency;

import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.jobs.PartitionTask;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.List;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One partition of a consistency job: exactly a training set's partition (the logged fetches whose
 * key hashes to it, grouped by key and sorted by t, as the left rows; each key's events; values at
 * every t by {@code PointInTime}, events strictly before t), except that the values are compared
 * with the served ones ({@link Comparison}) instead of being written.
 */
final class ConsistencyTask implements PartitionTask {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Warehouse warehouse;
  private final int maxSamples;

  ConsistencyTask(Warehouse warehouse, int maxSamples) {
    this.warehouse = warehouse;
    this.maxSamples = maxSamples;
  }

  /** The job's GroupBy with the versions and the time range the prepare step found. */
  static CheckedGroupBy checked(StepExecution step, ConsistencyPlan plan) {
    JsonNode stats = JSON.readTree(step.getJobExecution().getExecutionContext().getString(ConsistencyPlan.LOG_STATS));
    Long minT = stats.get("minT").isNull() ? null : stats.get("minT").asLong();
    Long maxT = stats.get("maxT").isNull() ? null : stats.get("maxT").asLong();
    return plan.checked(LoggedVersions.of(step.getJobExecution()), minT, maxT);
  }

  @Override
  public Reader openReader(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    ConsistencyPlan plan = ConsistencyPlan.of(step.getJobExecution());
    VersionedReader reader = VersionedReader.open(warehouse, checked(step, plan), partition, resume == null ? null : resume.reader(),
        maxSamples);
    return Reader.of(reader::next, reader::state, reader::close);
  }

  @Override
  public Output openOutput(StepExecution step, Partition partition, PartitionCheckpoint resume) {
    ConsistencyPlan plan = ConsistencyPlan.of(step.getJobExecution());
    long chunksDone = resume == null ? 0 : resume.chunks();
    clearAfter(warehouse, List.of(plan.stats(), plan.workSamples()), partition.index(), chunksDone);
    return new Comparison(warehouse, plan, checked(step, plan), partition.index(), chunksDone,
        LateEvents.read(warehouse, plan.groupBy(), plan.lateEvents()), RecordTimes.read(warehouse, plan.groupBy(), plan.recordTimes()));
  }

  /**
   * Rows of a partition's chunks after {@code chunksDone}: what a crash left after the last checkpoint
   * goes (behind the partition's fence, as its chunks are: a superseded holder must not clear its successor's rows).
   */
  static void clearAfter(Warehouse warehouse, List<TableName> tables, int partition, long chunksDone) {
    for (TableName t : tables) {
      OutputTables.update(warehouse, "DELETE FROM " + warehouse.dialect().table(t) + " WHERE partition_id = ? AND chunk > ?",
          List.of(partition, chunksDone), "clearing partition " + partition + " of " + t);
    }
  }
}
