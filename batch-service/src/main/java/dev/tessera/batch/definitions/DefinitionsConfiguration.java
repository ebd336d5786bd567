package dev.tessera.batch.definitions;

import dev.tessera.batch.system.BatchServiceProperties;
import dev.tessera.support.RegistryFollower;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Picks the definitions source: the registry (GroupBys from its topic, older versions and Joins from
 * its REST API; the default) or a directory of files holding both.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegistryClientProperties.class)
public class DefinitionsConfiguration {

  @Bean
  RegistryClient registryClient(RegistryClientProperties properties) {
    return new RegistryClient(properties.registryUrl(), properties.registryTimeout());
  }

  @Bean
  RegistryVersions registryVersions(RegistryClient client) {
    return new RegistryVersions(client);
  }

  @Bean
  GroupByDefinitions groupByDefinitions(BatchServiceProperties properties, KafkaProperties kafka, RegistryVersions versions) {
    var d = properties.definitions();
    if (d.fromDirectory()) return new DirectoryDefinitions(d.directory());
    String bootstrap = String.join(",", kafka.getBootstrapServers());
    return new RegistryDefinitions(new RegistryFollower(bootstrap, d.registryTopic()), d.registryTopic(), versions);
  }

  @Bean
  JoinDefinitions joinDefinitions(BatchServiceProperties properties, RegistryClient client) {
    var d = properties.definitions();
    return d.fromDirectory() ? new DirectoryJoinDefinitions(d.directory()) : new RegistryJoinDefinitions(client);
  }
}
