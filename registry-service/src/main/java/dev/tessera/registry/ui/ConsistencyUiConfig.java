package dev.tessera.registry.ui;

import java.net.URI;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where the consistency page reads its reports: {@code tessera.registry.batch-url} (README "Admin UI"). */
@Configuration(proxyBeanMethods = false)
class ConsistencyUiConfig {

  @Bean
  ConsistencyClient consistencyClient(@Value("${tessera.registry.batch-url:http://localhost:8082}") URI batchUrl,
      @Value("${tessera.registry.batch-timeout:5s}") Duration timeout) {
    if (!batchUrl.isAbsolute() || !("http".equals(batchUrl.getScheme()) || "https".equals(batchUrl.getScheme())) || batchUrl.getHost() == null) {
      throw new IllegalArgumentException("tessera.registry.batch-url must be an absolute http(s) URL, got '" + batchUrl + "'");
    }
    return new ConsistencyClient(batchUrl, timeout);
  }
}
