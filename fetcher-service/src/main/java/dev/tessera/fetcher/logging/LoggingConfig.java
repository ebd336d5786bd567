package dev.tessera.fetcher.logging;

import dev.tessera.fetcher.system.FetcherProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class LoggingConfig {

  @Bean(destroyMethod = "close")
  FeatureLogger featureLogger(FetcherProperties props, KafkaProperties kafka, JsonMapper json, MeterRegistry meters) {
    FetcherProperties.FeatureLog cfg = props.featureLog();
    FeatureLogSink sink = new KafkaFeatureLogSink(cfg.topic(), kafka.buildProducerProperties(), json);
    return new FeatureLogger(cfg.sampleRate(), cfg.queueCapacity(), sink, () -> ThreadLocalRandom.current().nextDouble(), meters);
  }
}
