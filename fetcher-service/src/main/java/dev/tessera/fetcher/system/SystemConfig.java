package dev.tessera.fetcher.system;

import dev.tessera.support.security.GuardConfiguration;
import dev.tessera.support.security.GuardProperties;
import dev.tessera.support.security.RegistryAuthentication;
import dev.tessera.support.security.RegistryCredentials;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The clock, the settings, and who may fetch: the registry's callers, static API keys, or anyone (tessera.fetcher.auth). */
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
   * for no registry credential here (tessera.fetcher.auth below says who may fetch); the body limit
   * and the JSON-only rule still apply.
   */
  @Bean
  GuardConfiguration.GuardedRequests noWrites() {
    return request -> false;
  }

  /** Refused fetches, counted as failed fetches of kind {@code unauthorized}. */
  private static Counter rejected(MeterRegistry meters) {
    return Counter.builder("tessera.fetch.errors").tag("groupBy", "none").tag("kind", "unauthorized")
        .description("failed fetches (whole requests) and failed keys, by kind").register(meters);
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(FetcherProperties props, JsonMapper json, MeterRegistry meters) {
    FilterRegistrationBean<ApiKeyFilter> reg = new FilterRegistrationBean<>(new ApiKeyFilter(props.apiKeys(), json, rejected(meters)::increment));
    reg.addUrlPatterns("/v1/*");
    reg.setEnabled(props.auth() == FetcherProperties.Auth.KEYS);
    return reg;
  }

  /** tessera.fetcher.auth=registry: the registry's accounts and tokens, checked as batch and stream check theirs. */
  @Bean
  FilterRegistrationBean<RegistryAuthFilter> registryAuthFilter(FetcherProperties props, GuardProperties guard,
      RegistryCredentials credentials, MeterRegistry meters) {
    RegistryAuthentication authentication = new RegistryAuthentication(credentials, guard.loginThrottle(InstantSource.system()));
    FilterRegistrationBean<RegistryAuthFilter> reg = new FilterRegistrationBean<>(new RegistryAuthFilter(authentication, rejected(meters)::increment));
    reg.addUrlPatterns("/v1/*");
    reg.setEnabled(props.auth() == FetcherProperties.Auth.REGISTRY);
    return reg;
  }
}
