package dev.tessera.batch.remote;

import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.RemotePartitions;
import dev.tessera.batch.system.BatchServiceProperties;
import dev.tessera.support.Topics;
import dev.tessera.support.kafka.KafkaClients;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.core.MessagingTemplate;

/**
 * Wires remote partitioning by {@code tessera.batch.remote.role}: a manager gets {@link RemotePartitions}
 * (every partitioned step then sends its partitions to the workers), a worker the request consumer.
 * Both refuse to start on stores only one process can use: the job repository and the warehouse must
 * be shared (PostgreSQL), since every process reads and writes them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RemoteProperties.class)
public class RemotePartitioningConfiguration {

  /** Checks, when remote, that the job repository and the warehouse are ones every process reaches. */
  @Bean
  InitializingBean remoteStoresCheck(RemoteProperties remote, BatchServiceProperties batch, DataSource jobRepository) {
    return () -> {
      if (remote.role().equals("standalone")) return;
      if (!batch.warehouseUrl().startsWith("jdbc:postgresql:")) {
        throw new IllegalStateException("tessera.batch.remote.role=" + remote.role() + " needs a warehouse every process reaches: set "
            + "tessera.batch.warehouse.url=jdbc:postgresql://... (a DuckDB file is one process's)");
      }
      try (Connection c = jobRepository.getConnection()) {
        String product = c.getMetaData().getDatabaseProductName();
        if (!product.toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
          throw new IllegalStateException("tessera.batch.remote.role=" + remote.role() + " needs a job repository every process shares: set "
              + "SPRING_DATASOURCE_URL=jdbc:postgresql://... (it is " + product + ")");
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot reach the job repository: " + e.getMessage(), e);
      }
    };
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnExpression("'${tessera.batch.remote.role:standalone}'.equalsIgnoreCase('manager')")
  static class Manager {
    @Bean(destroyMethod = "close")
    PartitionRequestChannel partitionRequestChannel(KafkaClients kafka, RemoteProperties p) {
      Topics.ensure(kafka, p.topic(), p.topicPartitions());
      return new PartitionRequestChannel(kafka, p.topic());
    }

    @Bean(destroyMethod = "close")
    WorkerGroup workerGroup(KafkaClients kafka, RemoteProperties p) {
      return new WorkerGroup(kafka, p.group());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService workerWatches() {
      return RemotePartitionHandler.watches();
    }

    @Bean
    RemotePartitions remotePartitions(PartitionRequestChannel channel, WorkerGroup workers, RemoteProperties p, JobRepository repository,
        BatchServiceProperties batch, ScheduledExecutorService workerWatches) {
      return workerStep -> {
        MessagingTemplate template = new MessagingTemplate(channel);
        MessageChannelPartitionHandler h = new MessageChannelPartitionHandler();
        h.setStepName(workerStep);
        h.setMessagingOperations(template);
        h.setJobRepository(repository);
        h.setPollInterval(p.pollInterval().toMillis());
        h.setTimeout(p.timeout().toMillis());
        h.setGridSize(batch.effectivePartitions());
        try {
          h.afterPropertiesSet();
        } catch (Exception e) {
          throw new IllegalStateException("cannot set up the partition handler of " + workerStep, e);
        }
        return new RemotePartitionHandler(h, workerStep, repository, workers, p, workerWatches);
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnExpression("'${tessera.batch.remote.role:standalone}'.equalsIgnoreCase('worker')")
  static class Worker {
    @Bean(destroyMethod = "close")
    WorkerGroup workerGroup(KafkaClients kafka, RemoteProperties p) {
      return new WorkerGroup(kafka, p.group());
    }

    @Bean
    PartitionWorker partitionWorker(JobRepository repository, JobSteps steps, WorkerGroup workers, RemoteProperties p) {
      StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
      handler.setJobRepository(repository);
      handler.setStepLocator(steps);
      return new PartitionWorker(repository, handler, p.workerId(), workers::live, p.pollInterval());
    }

    @Bean
    PartitionRequestConsumer partitionRequestConsumer(KafkaClients kafka, RemoteProperties p, PartitionWorker worker) {
      Topics.ensure(kafka, p.topic(), p.topicPartitions());
      return new PartitionRequestConsumer(kafka, p, worker);
    }

    @Bean
    WorkerHealthIndicator workerHealthIndicator(PartitionRequestConsumer consumer, RemoteProperties p) {
      return new WorkerHealthIndicator(consumer, p);
    }
  }
}
