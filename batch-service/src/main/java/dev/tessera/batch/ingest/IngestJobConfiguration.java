package dev.tessera.batch.ingest;

import dev.tessera.batch.jobs.JobSteps;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.support.kafka.KafkaClients;
import org.springframework.batch.core.job.Job;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ingest job: one step that lands a topic in a table, exactly once. */
@Configuration(proxyBeanMethods = false)
public class IngestJobConfiguration {
  public static final String JOB = "ingest";

  @Bean
  Job ingestJob(JobSteps steps, Warehouse warehouse, KafkaClients kafka) {
    return steps.job(JOB)
        .start(new IngestStep("ingest.land", steps.repository(), warehouse, kafka, steps.properties(), steps.failures(), steps.metrics()))
        .build();
  }

  @Bean
  IngestRequests ingestRequests(RequestSupport support, Job ingestJob) {
    return new IngestRequests(support, ingestJob);
  }
}
