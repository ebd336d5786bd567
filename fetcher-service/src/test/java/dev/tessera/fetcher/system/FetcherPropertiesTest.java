package dev.tessera.fetcher.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** A bad setting stops the service at start with the property's name in the message. */
class FetcherPropertiesTest {
  @Configuration
  @EnableConfigurationProperties(FetcherProperties.class)
  static class Props {}

  final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Props.class);

  @Test
  void defaults() {
    runner.run(ctx -> {
      FetcherProperties p = ctx.getBean(FetcherProperties.class);
      assertThat(p.maxKeysPerRequest()).isEqualTo(1000);
      assertThat(p.apiKeys()).isEmpty();
      assertThat(p.auth()).as("open, as before there was a choice").isEqualTo(FetcherProperties.Auth.NONE);
      assertThat(p.registry().followTopic()).isTrue();
      assertThat(p.registry().topic()).isEqualTo("tessera.registry");
      assertThat(p.registry().url()).hasToString("http://localhost:8081");
      assertThat(p.redis().maxIdleConnections()).isEqualTo(64);
      assertThat(p.redis().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
      assertThat(p.featureLog().sampleRate()).isZero();
      assertThat(p.featureLog().enabled()).isFalse();
      assertThat(p.featureLog().topic()).isEqualTo("tessera.feature-log");
      assertThat(p.featureLog().queueCapacity()).isEqualTo(10000);
    });
  }

  @Test
  void settingsBindFromTheirKebabNames() {
    runner.withPropertyValues("tessera.fetcher.max-keys-per-request=50", "tessera.fetcher.api-keys=key-aaaaaaaaaaaaaaaa, key-bbbbbbbbbbbbbbbb",
        "tessera.fetcher.feature-log.sample-rate=0.25", "tessera.fetcher.redis.connect-timeout=750ms",
        "tessera.fetcher.registry.follow-topic=false").run(ctx -> {
          FetcherProperties p = ctx.getBean(FetcherProperties.class);
          assertThat(p.maxKeysPerRequest()).isEqualTo(50);
          assertThat(p.apiKeys()).containsExactly("key-aaaaaaaaaaaaaaaa", "key-bbbbbbbbbbbbbbbb");
          assertThat(p.auth()).as("keys set: keys guard the fetches, as before").isEqualTo(FetcherProperties.Auth.KEYS);
          assertThat(p.featureLog().sampleRate()).isEqualTo(0.25);
          assertThat(p.redis().connectTimeout()).isEqualTo(Duration.ofMillis(750));
          assertThat(p.registry().followTopic()).isFalse();
        });
  }

  @Test
  void registryAuthTakesNoStaticKeysAndKeysAuthNeedsThem() {
    runner.withPropertyValues("tessera.fetcher.auth=registry").run(ctx ->
        assertThat(ctx.getBean(FetcherProperties.class).auth()).isEqualTo(FetcherProperties.Auth.REGISTRY));
    failsWith("tessera.fetcher.auth=keys", "tessera.fetcher.auth keys needs tessera.fetcher.api-keys");
    failsWith("tessera.fetcher.api-keys must be empty with auth=registry", "tessera.fetcher.auth=registry",
        "tessera.fetcher.api-keys=key-aaaaaaaaaaaaaaaa");
  }

  @Test
  void badValuesFailNamingTheProperty() {
    failsWith("tessera.fetcher.max-keys-per-request=0", "tessera.fetcher.max-keys-per-request must be between 1 and 100000, was: 0");
    failsWith("tessera.fetcher.feature-log.sample-rate=1.5", "tessera.fetcher.feature-log.sample-rate must be between 0 and 1, was: 1.5");
    failsWith("tessera.fetcher.api-keys=short", "tessera.fetcher.api-keys every key must have at least 16 characters");
    failsWith("tessera.fetcher.registry.url=localhost:8081", "tessera.fetcher.registry.url must be an absolute http(s) URL");
    failsWith("tessera.fetcher.redis.max-idle-connections=-1", "tessera.fetcher.redis.max-idle-connections must be between 0 and 10000, was: -1");
    failsWith("tessera.fetcher.redis.connect-timeout=0s", "tessera.fetcher.redis.connect-timeout must be a positive duration");
  }

  private void failsWith(String property, String message) {
    failsWith(message, new String[] {property});
  }

  private void failsWith(String message, String... properties) {
    runner.withPropertyValues(properties).run(ctx -> {
      assertThat(ctx).hasFailed();
      Throwable root = ctx.getStartupFailure();
      while (root.getCause() != null) root = root.getCause();
      assertThat(root).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    });
  }
}
