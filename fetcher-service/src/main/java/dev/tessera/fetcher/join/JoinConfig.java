package dev.tessera.fetcher.join;

import dev.tessera.fetcher.definitions.ServedDefinitions;
import dev.tessera.fetcher.logging.FeatureLogger;
import dev.tessera.fetcher.store.FeatureStore;
import dev.tessera.fetcher.system.FetcherProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class JoinConfig {

  @Bean
  JoinFetchService joinFetchService(ServedDefinitions definitions, FeatureStore store, FeatureLogger featureLog, InstantSource clock,
      MeterRegistry meters, FetcherProperties props) {
    return new JoinFetchService(definitions, store, featureLog, clock, meters, props.maxKeysPerRequest());
  }
}
