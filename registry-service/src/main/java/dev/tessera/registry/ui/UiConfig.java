package dev.tessera.registry.ui;

import dev.tessera.registry.system.RegistryProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class UiConfig {

  @Bean
  FetcherClient fetcherClient(RegistryProperties props) {
    return new FetcherClient(props.fetcherUrl(), props.fetcherTimeout());
  }
}
