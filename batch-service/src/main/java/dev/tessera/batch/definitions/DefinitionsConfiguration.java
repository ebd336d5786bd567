package dev.tessera.batch.definitions;

import dev.tessera.batch.system.BatchServiceProperties;
import dev.tessera.support.Definitions;
import dev.tessera.support.RegistryApi;
import dev.tessera.support.RegistryFollower;
import dev.tessera.support.kafka.KafkaClients;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Picks the definitions source (platform-support's {@link Definitions}): the registry (its topic,
 * with its REST API for older versions and for Joins the topic has not shown; the default) or a
 * directory of files holding both. Starting does not wait for Kafka: until the topic has been read,
 * requests get "definitions not loaded yet" instead of a wrong 404.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegistryClientProperties.class)
public class DefinitionsConfiguration {

  @Bean(initMethod = "start", destroyMethod = "close")
  Definitions definitions(BatchServiceProperties properties, RegistryClientProperties registry, KafkaClients kafka) {
    var d = properties.definitions();
    if (d.fromDirectory()) return Definitions.directory(d.directory());
    // asked at every lookup the topic cannot answer, as a job request wants what was published a moment ago
    return Definitions.registry(new RegistryFollower(kafka, d.registryTopic()), RegistryApi.of(registry.registryUrl(), registry.registryTimeout()));
  }
}
