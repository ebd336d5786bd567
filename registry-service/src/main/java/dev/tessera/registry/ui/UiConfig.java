package dev.tessera.registry.ui;

import dev.tessera.registry.system.RegistryProperties;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The admin UI's clients of the other services, at the URLs of {@code tessera.registry.*} (README "Admin UI"). */
@Configuration(proxyBeanMethods = false)
class UiConfig {

  @Bean
  FetcherClient fetcherClient(RegistryProperties props) {
    return new FetcherClient(props.fetcherUrl(), props.fetcherTimeout());
  }

  @Bean
  ConsistencyClient consistencyClient(RegistryProperties props) {
    return new ConsistencyClient(props.batchUrl(), props.batchTimeout());
  }

  @Bean
  MetricsPage metricsPage(RegistryProperties props, ObjectProvider<PrometheusMeterRegistry> own) {
    PrometheusScraper scraper = new PrometheusScraper(props.batchTimeout());
    return new MetricsPage(MetricsPage.bundledDashboard(), java.util.List.of(
        MetricsPage.Source.local("registry", () -> own.getObject().scrape()),
        MetricsPage.Source.remote("fetcher", props.fetcherUrl(), scraper),
        MetricsPage.Source.remote("stream", props.streamUrl(), scraper),
        MetricsPage.Source.remote("batch", props.batchUrl(), scraper)), Clock.systemUTC());
  }
}
