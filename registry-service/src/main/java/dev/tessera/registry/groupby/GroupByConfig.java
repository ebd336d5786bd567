package dev.tessera.registry.groupby;

import dev.tessera.registry.publish.OutboxRepository;
import dev.tessera.registry.publish.PublicationTracker;
import dev.tessera.registry.system.RegistryProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class GroupByConfig {

  @Bean
  GroupByRepository groupByRepository(JdbcClient jdbc) {
    return new GroupByRepository(jdbc);
  }

  @Bean
  RegistryMetrics registryMetrics(MeterRegistry meters) {
    return new RegistryMetrics(meters);
  }

  @Bean
  GroupByRegistry groupByRegistry(GroupByRepository repository, OutboxRepository outbox, TransactionTemplate tx,
      PublicationTracker publications, RegistryMetrics metrics, Clock clock, RegistryProperties props) {
    return new GroupByRegistry(repository, outbox, tx, publications, metrics, clock, props.topic(),
        props.publication().publishWait());
  }
}
