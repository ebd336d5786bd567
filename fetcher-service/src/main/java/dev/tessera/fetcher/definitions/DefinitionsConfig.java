package dev.tessera.fetcher.definitions;

import dev.tessera.fetcher.system.FetcherProperties;
import dev.tessera.support.Definitions;
import dev.tessera.support.RegistryApi;
import dev.tessera.support.RegistryFollower;
import dev.tessera.support.kafka.KafkaClients;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the definitions: the registry topic's follower and REST API behind one {@link Definitions}, started and closed with the context. */
@Configuration(proxyBeanMethods = false)
class DefinitionsConfig {

  @Bean
  @ConditionalOnProperty(name = "tessera.fetcher.registry.follow-topic", havingValue = "true", matchIfMissing = true)
  RegistryFollower registryFollower(KafkaClients kafka, FetcherProperties props) {
    return new RegistryFollower(kafka, props.registry().topic());
  }

  @Bean(initMethod = "start", destroyMethod = "close")
  Definitions definitions(ObjectProvider<RegistryFollower> follower, InstantSource clock, FetcherProperties props) {
    var registry = props.registry();
    return Definitions.registry(follower.getIfAvailable(),
        RegistryApi.of(registry.url(), registry.timeout()).withCache(registry.cacheTtl(), registry.missTtl(), clock));
  }

  @Bean
  ServedDefinitions servedDefinitions(Definitions definitions) {
    return new ServedDefinitions(definitions);
  }

  @Bean
  @ConditionalOnEnabledHealthIndicator("registry")
  RegistryHealthIndicator registryHealthIndicator(ObjectProvider<RegistryFollower> follower, FetcherProperties props) {
    return new RegistryHealthIndicator(follower.getIfAvailable(), props.registry().topic());
  }
}
