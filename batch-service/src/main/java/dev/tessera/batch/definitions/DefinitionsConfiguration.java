package dev.tessera.batch.definitions;

import dev.tessera.batch.system.BatchServiceProperties;
import dev.tessera.support.RegistryFollower;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks the definitions source: the registry topic (default) or a directory of files. */
@Configuration(proxyBeanMethods = false)
public class DefinitionsConfiguration {

  @Bean
  GroupByDefinitions groupByDefinitions(BatchServiceProperties properties, KafkaProperties kafka) {
    var d = properties.definitions();
    if (d.fromDirectory()) return new DirectoryDefinitions(d.directory());
    String bootstrap = String.join(",", kafka.getBootstrapServers());
    return new RegistryDefinitions(new RegistryFollower(bootstrap, d.registryTopic()), d.registryTopic());
  }
}
