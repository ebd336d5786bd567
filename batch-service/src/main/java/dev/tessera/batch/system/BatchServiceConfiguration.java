package dev.tessera.batch.system;

import dev.tessera.support.Definitions;
import dev.tessera.batch.api.JobViews;
import dev.tessera.batch.jobs.DefinitionHandoff;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.JobGroupBy;
import dev.tessera.batch.jobs.JobMetrics;
import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.jobs.RemotePartitions;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.warehouse.Lake;
import dev.tessera.batch.warehouse.PartitionFence;
import dev.tessera.batch.warehouse.Warehouse;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.batch.autoconfigure.BatchTaskExecutor;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/** Wires the service: warehouse, executors, job infrastructure. Logic lives in the feature packages. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BatchServiceProperties.class)
public class BatchServiceConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "close")
  Warehouse warehouse(BatchServiceProperties p) {
    try {
      Files.createDirectories(p.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create tessera.batch.data-dir " + p.dataDir().toAbsolutePath(), e);
    }
    var w = p.warehouse();
    return Warehouse.open(p.warehouseUrl(), w.username(), w.password(), w.memoryLimit(), w.threads(), w.tempDirectory(),
        w.maxPoolSize(), w.fetchSize(), w.checkpointThreshold()).lake(new Lake(p.lakeDir()));
  }

  @Bean
  WarehouseHealthIndicator warehouseHealthIndicator(Warehouse warehouse) {
    return new WarehouseHealthIndicator(warehouse);
  }

  /** Runs jobs in the background: a start request answers at once with the job id. */
  @Bean
  @BatchTaskExecutor
  TaskExecutor batchTaskExecutor() {
    SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("job-");
    executor.setConcurrencyLimit(16);
    return executor;
  }

  /** Runs partitions: as many at once as the configured partition count (cores by default), across all jobs. */
  @Bean(destroyMethod = "shutdown")
  ThreadPoolTaskExecutor partitionExecutor(BatchServiceProperties p) {
    ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
    executor.setCorePoolSize(p.effectivePartitions());
    executor.setMaxPoolSize(p.effectivePartitions());
    executor.setThreadNamePrefix("partition-");
    executor.setWaitForTasksToCompleteOnShutdown(false);
    executor.initialize();
    return executor;
  }

  @Bean
  IdempotentBatchSchemaInitializer batchDataSourceInitializer(DataSource dataSource, BatchJdbcProperties properties) {
    return new IdempotentBatchSchemaInitializer(dataSource, properties);
  }

  @Bean
  // Not on a worker: the jobs running in the shared repository are the managers', alive (README "Remote partitioning").
  @ConditionalOnExpression("${tessera.batch.recover-on-startup:true} and !'${tessera.batch.remote.role:standalone}'.equalsIgnoreCase('worker')")
  StartupRecovery startupRecovery(JobRepository repository, JobOperator operator, List<Job> jobs) {
    return new StartupRecovery(repository, operator, jobs);
  }

  @Bean
  JobMetrics jobMetrics(MeterRegistry registry) {
    return new JobMetrics(registry);
  }

  @Bean
  DefinitionHandoff definitionHandoff() {
    return new DefinitionHandoff();
  }

  @Bean
  JobGroupBy jobGroupBy(DefinitionHandoff handoff, Definitions definitions, JobRepository repository) {
    return new JobGroupBy(handoff, definitions, repository);
  }

  @Bean
  JobSteps jobSteps(JobRepository repository, PlatformTransactionManager transactionManager, ThreadPoolTaskExecutor partitionExecutor,
      BatchServiceProperties properties, ObjectProvider<FailurePoints> failures, JobMetrics metrics, JobGroupBy groupBy,
      ObjectProvider<RemotePartitions> remote, Warehouse warehouse) {
    return new JobSteps(repository, transactionManager, partitionExecutor, properties, failures.getIfAvailable(() -> FailurePoints.NONE),
        metrics, groupBy, remote.getIfAvailable(), new PartitionFence(warehouse));
  }

  @Bean
  RequestSupport requestSupport(Definitions definitions, BatchServiceProperties properties, Warehouse warehouse, Clock clock) {
    return new RequestSupport(definitions, properties, warehouse, clock);
  }

  @Bean
  JobViews jobViews(JobRepository repository, JobSubmitter submitter, BatchServiceProperties properties) {
    return new JobViews(repository, submitter, properties.rejects().samples());
  }

  @Bean
  JobSubmitter jobSubmitter(JobOperator operator, JobRepository repository, List<Job> jobs, DefinitionHandoff handoff) {
    return new JobSubmitter(operator, repository, jobs, handoff);
  }
}
