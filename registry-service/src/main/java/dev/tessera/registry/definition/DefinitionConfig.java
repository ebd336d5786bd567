package dev.tessera.registry.definition;

import dev.tessera.registry.publish.OutboxRepository;
import dev.tessera.registry.publish.PublicationTracker;
import dev.tessera.registry.system.RegistryProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** What the registries of every kind share: one outbox, one topic, one set of counters. */
@Configuration(proxyBeanMethods = false)
class DefinitionConfig {

  @Bean
  RegistryMetrics registryMetrics(MeterRegistry meters) {
    return new RegistryMetrics(meters);
  }

  @Bean
  PublishContext publishContext(OutboxRepository outbox, TransactionTemplate tx, PublicationTracker publications,
      RegistryMetrics metrics, Clock clock, RegistryProperties props) {
    return new PublishContext(outbox, tx, publications, metrics, clock, props.topic(), props.publication().publishWait(),
        props.publication().maxRecordBytes().toBytes());
  }
}
