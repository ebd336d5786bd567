package dev.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.BatchApplication;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.testing.TestFailures;
import dev.tessera.batch.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.job.Job;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Ingest across a real process boundary: the service dies right after committing a batch (its job
 * repository still says the job is running, as after a kill -9), a new service starts on the same
 * files, marks the dead job FAILED, and the restart lands the rest: every record exactly once.
 */
class IngestProcessRestartIT {
  static final String TOPIC = "clicks";
  static EmbeddedKafkaKraftBroker broker;
  static final String DATA_DIR = "./target/it-data/process-restart-" + UUID.randomUUID();

  @BeforeAll
  static void broker() {
    broker = new EmbeddedKafkaKraftBroker(1, 2, TOPIC);
    broker.afterPropertiesSet();
  }

  @AfterAll
  static void stop() {
    broker.destroy();
  }

  static ConfigurableApplicationContext service(TestFailures failures) {
    return new SpringApplicationBuilder(BatchApplication.class)
        .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testFailures", failures))
        // Command-line arguments: they win over the test application.yml (builder properties would not).
        .run("--server.port=0", "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(), "--tessera.batch.data-dir=" + DATA_DIR,
            "--tessera.batch.ingest.batch-size=40", "--management.health.redis.enabled=false");
  }

  @Test
  void aServiceKilledAfterACommitIsRecoveredAndLandsEveryRecordOnce() throws Exception {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(), ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000))) {
      for (int i = 0; i < 300; i++) {
        sent.add(p.send(new ProducerRecord<>(TOPIC, "k" + (i % 7), "{\"user_id\": \"u" + i % 13 + "\", \"n\": " + i + ", \"ts\": " + (1_000L + i) + "}")));
      }
      sent.add(p.send(new ProducerRecord<>(TOPIC, "k1", "{\"user_id\": \"u1\", \"n\": \"x\", \"ts\": 1}")));
      p.flush();
      for (Future<RecordMetadata> f : sent) f.get();
    }

    TestFailures failures = new TestFailures();
    failures.arm(FailurePoints.INGEST_AFTER_COMMIT, step -> step.getCommitCount() >= 2);
    long jobId;
    long executionId;
    try (ConfigurableApplicationContext first = service(failures)) {
      JobOperator operator = first.getBean(JobOperator.class);
      Job job = first.getBean("ingestJob", Job.class);
      JobExecution e = operator.start(job, new JobParametersBuilder()
          .addString("requestId", UUID.randomUUID().toString())
          .addString("target", "table:clicks_landed", false)
          .addLong("partitions", 1L, false)
          .addString("topic", TOPIC, false)
          .addString("table", "clicks_landed", false)
          .addString("schema", "{\"user_id\":\"STRING\",\"n\":\"LONG\",\"ts\":\"LONG\"}", false)
          .addString("timeColumn", "ts", false)
          .addString("mode", "bounded", false)
          .toJobParameters());
      jobId = e.getJobInstanceId();
      executionId = e.getId();
      JobRepository repository = first.getBean(JobRepository.class);
      Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> !repository.getJobExecution(executionId).isRunning());
      assertThat(Tables.count(first.getBean(Warehouse.class), "SELECT count(*) FROM clicks_landed")).isBetween(1L, 299L);
    }
    // What a kill -9 leaves behind: the job repository still believes the job runs.
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + DATA_DIR + "/jobs", "sa", ""); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE BATCH_JOB_EXECUTION SET STATUS = 'STARTED', EXIT_CODE = 'UNKNOWN', END_TIME = NULL WHERE JOB_EXECUTION_ID = " + executionId);
      s.executeUpdate("UPDATE BATCH_STEP_EXECUTION SET STATUS = 'STARTED', EXIT_CODE = 'EXECUTING', END_TIME = NULL WHERE JOB_EXECUTION_ID = " + executionId);
    }

    try (ConfigurableApplicationContext second = service(new TestFailures())) {
      JobRepository repository = second.getBean(JobRepository.class);
      assertThat(repository.getJobExecution(executionId).getStatus()).as("recovered at startup").isEqualTo(BatchStatus.FAILED);
      long restarted = second.getBean(JobSubmitter.class).restart(jobId);
      Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> !repository.getJobExecution(restarted).isRunning());
      assertThat(repository.getJobExecution(restarted).getStatus()).isEqualTo(BatchStatus.COMPLETED);
      Warehouse w = second.getBean(Warehouse.class);
      assertThat(Tables.count(w, "SELECT count(*) FROM clicks_landed")).isEqualTo(300);
      assertThat(Tables.count(w, "SELECT count(DISTINCT n) FROM clicks_landed")).isEqualTo(300);
      assertThat(Tables.count(w, "SELECT count(*) FROM clicks_landed_errors")).isEqualTo(1);
    }
  }
}
