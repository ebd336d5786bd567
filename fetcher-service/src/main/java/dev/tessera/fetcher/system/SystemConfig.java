package dev.tessera.fetcher.system;

import dev.tessera.support.security.GuardConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The clock, the settings, and the API-key filter when keys are configured. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FetcherProperties.class)
class SystemConfig {

  /** "Now" for fetches without atMillis; injected so that tests can fix it. */
  @Bean
  InstantSource instantSource() {
    return InstantSource.system();
  }

  /**
   * The fetcher changes nothing: its POSTs are reads with a body, so the shared write guard asks
   * for no registry credential here (the API keys below guard fetches when they are configured);
   * the body limit and the JSON-only rule still apply.
   */
  @Bean
  GuardConfiguration.GuardedRequests noWrites() {
    return request -> false;
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(FetcherProperties props, JsonMapper json, MeterRegistry meters) {
    Counter rejected = Counter.builder("tessera.fetch.errors").tag("groupBy", "none").tag("kind", "unauthorized")
        .description("failed fetches (whole requests) and failed keys, by kind").register(meters);
    FilterRegistrationBean<ApiKeyFilter> reg = new FilterRegistrationBean<>(new ApiKeyFilter(props.apiKeys(), json, rejected::increment));
    reg.addUrlPatterns("/v1/*");
    reg.setEnabled(!props.apiKeys().isEmpty());
    return reg;
  }
}
