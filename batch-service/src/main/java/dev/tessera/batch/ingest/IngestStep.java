package dev.tessera.batch.ingest;

import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.JobMetrics;
import dev.tessera.batch.jobs.JobResults;
import dev.tessera.batch.system.BatchServiceProperties;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.support.kafka.KafkaClients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.AbstractStep;
import org.springframework.batch.core.step.StepExecution;

/**
 * The ingest job's only step: an {@link IngestRun} batch by batch, with the step's counters (read
 * = records, write = rows landed, read skip = records sent to the errors table) and the job
 * repository updated after every batch. Exactly-once does not depend on the job repository: the
 * offsets live in the warehouse, so a restart (or a new ingest job of the same topic and table)
 * continues from the last committed batch.
 */
final class IngestStep extends AbstractStep {
  private final Warehouse warehouse;
  private final KafkaClients kafka;
  private final BatchServiceProperties properties;
  private final FailurePoints failures;
  private final JobMetrics metrics;

  IngestStep(String name, JobRepository repository, Warehouse warehouse, KafkaClients kafka, BatchServiceProperties properties,
      FailurePoints failures, JobMetrics metrics) {
    super(repository);
    setName(name);
    this.warehouse = warehouse;
    this.kafka = kafka;
    this.properties = properties;
    this.failures = failures;
    this.metrics = metrics;
  }

  @Override
  protected void doExecute(StepExecution step) throws Exception {
    IngestPlan plan = IngestPlan.of(step.getJobParameters());
    OffsetStore offsets = new OffsetStore(warehouse, TableName.parse(properties.ingest().offsetsTable()));
    IngestRun.Hooks hooks = new IngestRun.Hooks() {
      @Override
      public void beforeCommit() {
        failures.reached(FailurePoints.INGEST_BEFORE_COMMIT, step);
      }

      @Override
      public void afterCommit() {
        failures.reached(FailurePoints.INGEST_AFTER_COMMIT, step);
      }
    };
    long landed = 0;
    long errors = 0;
    try (Consumer<byte[], byte[]> consumer = kafka.consumer(consumerProperties(step))) {
      IngestRun run = new IngestRun(warehouse, plan, consumer, offsets, properties.ingest().pollTimeout(), hooks);
      run.open();
      while (run.hasMore()) {
        if (step.isTerminateOnly()) {
          if (plan.continuous()) break;
          throw new JobInterruptedException("ingest of " + plan.topic() + " stopped on request");
        }
        IngestRun.Batch b = run.poll();
        if (b.records() == 0 && b.nextOffsets().isEmpty()) {
          getJobRepository().update(step); // picks up a stop request while the topic is idle
          continue;
        }
        landed += b.landed();
        errors += b.errors();
        step.setReadCount(step.getReadCount() + b.records());
        step.setWriteCount(step.getWriteCount() + b.landed());
        step.setReadSkipCount(step.getReadSkipCount() + b.errors());
        step.setCommitCount(step.getCommitCount() + 1);
        step.getExecutionContext().putString("tessera.ingest.offsets", new TreeMap<>(run.committedOffsets()).toString());
        getJobRepository().update(step);
        getJobRepository().updateExecutionContext(step);
        metrics.ingested(plan.table().toString(), "landed", b.landed());
        metrics.ingested(plan.table().toString(), "error", b.errors());
        b.refused().forEach((reason, n) -> metrics.refused("ingest", plan.table().toString(), reason, n));
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("table", plan.table().toString());
      result.put("errorsTable", plan.errors().toString());
      if (plan.hasJoinRows()) result.put("joinTable", plan.joinTable().toString());
      result.put("recordsLanded", step.getWriteCount());
      result.put("recordsInErrors", step.getReadSkipCount());
      result.put("nextOffsets", new TreeMap<>(run.committedOffsets()));
      JobResults.put(step.getJobExecution(), result);
    }
  }

  private Map<String, Object> consumerProperties(StepExecution step) {
    Map<String, Object> p = kafka.consumerProperties(Map.of());
    p.remove(ConsumerConfig.GROUP_ID_CONFIG);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Never skip silently: an offset that retention has deleted fails the job instead of jumping ahead.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, properties.ingest().batchSize());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tessera-ingest-" + step.getJobExecution().getJobInstanceId());
    return p;
  }
}
