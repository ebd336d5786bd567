package dev.tessera.fetcher.logging;

import dev.tessera.fetcher.system.FetcherProperties;
import dev.tessera.support.kafka.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class LoggingConfig {

  @Bean(destroyMethod = "close")
  FeatureLogger featureLogger(FetcherProperties props, KafkaClients kafka, JsonMapper json, MeterRegistry meters) {
    FetcherProperties.FeatureLog cfg = props.featureLog();
    FeatureLogSink sink = new KafkaFeatureLogSink(cfg.topic(), kafka, json);
    return new FeatureLogger(cfg.sampleRate(), cfg.queueCapacity(), sink, () -> ThreadLocalRandom.current().nextDouble(), meters);
  }
}
