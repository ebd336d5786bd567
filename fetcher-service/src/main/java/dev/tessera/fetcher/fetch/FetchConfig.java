package dev.tessera.fetcher.fetch;

import dev.tessera.fetcher.definitions.ServedDefinitions;
import dev.tessera.fetcher.logging.FeatureLogger;
import dev.tessera.fetcher.store.FeatureStore;
import dev.tessera.fetcher.system.FetcherProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import java.time.InstantSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class FetchConfig {

  @Bean
  FetchService fetchService(ServedDefinitions definitions, FeatureStore store, FeatureLogger featureLog, InstantSource clock,
      MeterRegistry meters, FetcherProperties props) {
    return new FetchService(definitions, store, featureLog, clock, meters, props.maxKeysPerRequest());
  }

  /** Registered on Spring Boot's ObservationRegistry like every ObservationPredicate bean. */
  @Bean
  ObservationPredicate fetchRequestObservations(FetcherProperties props) {
    return new FetchRequestObservations(props.observeFetchRequests());
  }
}
