package dev.tessera.batch.upload;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.batch.jobs.JobReports;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.jobs.PartitionReport;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** The upload's prepare and finish steps. */
final class UploadSteps {
  private UploadSteps() {}

  static Tasklet prepare(Warehouse warehouse) {
    return (contribution, chunk) -> {
      UploadPlan plan = UploadPlan.of(chunk.getStepContext().getStepExecution().getJobExecution());
      for (SourcePlan s : plan.sources()) {
        String problem = RequestSupport.sourceProblem(warehouse, s);
        if (problem != null) throw new WarehouseException(problem);
      }
      return RepeatStatus.FINISHED;
    };
  }

  /**
   * Once every partition has written its entities: checks the reject limits, then writes the upload
   * marker ({@link RedisKeys#uploadKey}: B in decimal millis). Written last, so the stream side and
   * the fetcher only ever see a B whose batch IRs are all in place.
   */
  static Tasklet finish(RedisConnectionFactory redis, JobRepository repository, String computeStep, int maxSamples) {
    return (contribution, chunk) -> {
      JobExecution execution = chunk.getStepContext().getStepExecution().getJobExecution();
      UploadPlan plan = UploadPlan.of(execution);
      List<PartitionReport> reports = JobReports.checked(repository, execution, computeStep, maxSamples);
      String marker = RedisKeys.uploadKey(plan.groupBy().name(), plan.version());
      try (RedisConnection c = redis.getConnection()) {
        c.stringCommands().set(marker.getBytes(StandardCharsets.UTF_8), Long.toString(plan.batchEnd()).getBytes(StandardCharsets.UTF_8));
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("batchEnd", plan.batchEnd());
      result.put("uploadKey", marker);
      result.put("keysWritten", reports.stream().mapToLong(PartitionReport::rowsWritten).sum());
      result.put("keysDeleted", JobReports.counter(reports, BatchIrUploader.DELETED));
      result.put("entities", reports.stream().mapToLong(PartitionReport::entities).sum());
      JobResults.put(execution, result);
      return RepeatStatus.FINISHED;
    };
  }
}
