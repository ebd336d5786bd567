package dev.tessera.fetcher.definitions;

import dev.tessera.fetcher.system.FetcherProperties;
import dev.tessera.support.RegistryFollower;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the registry follower (started with the context, closed with it; GroupBys and Joins) and the definitions. */
@Configuration(proxyBeanMethods = false)
class DefinitionsConfig {

  @Bean(initMethod = "start", destroyMethod = "close")
  @ConditionalOnProperty(name = "tessera.fetcher.registry.follow-topic", havingValue = "true", matchIfMissing = true)
  RegistryFollower registryFollower(KafkaProperties kafka, FetcherProperties props) {
    // spring.kafka.* (bootstrap servers, security, SSL) applies; the follower sets its own deserializers and offsets
    return new RegistryFollower(kafka.buildConsumerProperties(), props.registry().topic()).followJoins();
  }

  @Bean
  RegistryClient registryClient(FetcherProperties props) {
    return new RegistryClient(props.registry().url(), props.registry().timeout());
  }

  @Bean
  GroupByDefinitions groupByDefinitions(ObjectProvider<RegistryFollower> follower, RegistryClient client, InstantSource clock,
      FetcherProperties props) {
    return new GroupByDefinitions(follower.getIfAvailable(), client, clock, props.registry().cacheTtl(), props.registry().missTtl());
  }

  @Bean
  JoinDefinitions joinDefinitions(ObjectProvider<RegistryFollower> follower, RegistryClient client, GroupByDefinitions groupBys,
      InstantSource clock, FetcherProperties props) {
    return new JoinDefinitions(follower.getIfAvailable(), client, groupBys, clock, props.registry().cacheTtl(), props.registry().missTtl());
  }

  @Bean
  @ConditionalOnEnabledHealthIndicator("registry")
  RegistryHealthIndicator registryHealthIndicator(ObjectProvider<RegistryFollower> follower, FetcherProperties props) {
    return new RegistryHealthIndicator(follower.getIfAvailable(), props.registry().topic());
  }
}
