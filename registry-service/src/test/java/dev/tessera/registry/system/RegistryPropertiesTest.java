package dev.tessera.registry.system;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** A bad setting stops the service at start, naming the property. */
class RegistryPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(RegistryProperties.class)
  static class Props {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Props.class);

  @Test
  void defaults() {
    runner.run(ctx -> {
      RegistryProperties p = ctx.getBean(RegistryProperties.class);
      assertThat(p.topic()).isEqualTo("tessera.registry");
      assertThat(p.maxRequestSize()).isEqualTo(DataSize.ofMegabytes(1));
      assertThat(p.fetcherUrl().toString()).isEqualTo("http://localhost:8080");
      assertThat(p.publication().publishWait().toSeconds()).isEqualTo(3);
      assertThat(p.publication().topicPartitions()).isEqualTo(1);
      assertThat(p.security().nothingConfigured()).isTrue();
    });
  }

  @Test
  void usersAndTokensBind() {
    runner.withPropertyValues("tessera.registry.security.users[0].name=alice", "tessera.registry.security.users[0].password=alice-secret",
        "tessera.registry.security.users[0].roles=ADMIN", "tessera.registry.security.api-tokens[0].name=ci",
        "tessera.registry.security.api-tokens[0].token=0123456789abcdef0").run(ctx -> {
          RegistryProperties p = ctx.getBean(RegistryProperties.class);
          assertThat(p.security().users()).singleElement().extracting(RegistryProperties.User::roles)
              .isEqualTo(java.util.List.of(RegistryProperties.Role.ADMIN));
          assertThat(p.security().apiTokens()).singleElement().extracting(RegistryProperties.ApiToken::roles)
              .isEqualTo(java.util.List.of(RegistryProperties.Role.WRITER));
        });
  }

  @Test
  void badValuesFailTheStartNamingTheProperty() {
    assertFailsWith("tessera.registry.topic=no spaces allowed", "tessera.registry.topic must be a Kafka topic name");
    assertFailsWith("tessera.registry.fetcher-url=localhost:8080", "tessera.registry.fetcher-url must be an absolute http(s) URL");
    assertFailsWith("tessera.registry.max-request-size=10B", "tessera.registry.max-request-size must be at least 1KB");
    assertFailsWith("tessera.registry.publication.retry-max=100ms", "tessera.registry.publication.retry-max must be >= retry-initial");
    assertFailsWith("tessera.registry.publication.batch-size=0", "tessera.registry.publication.batch-size must be between 1 and 10000");
    assertFailsWith("tessera.registry.publication.stale-after=0s", "tessera.registry.publication.stale-after must be a positive duration");
  }

  @Test
  void shortSecretsAreRefused() {
    assertFailsWith(new String[] {"tessera.registry.security.users[0].name=alice", "tessera.registry.security.users[0].password=short"},
        "tessera.registry.security.users[].password of 'alice' must have at least 8 characters");
    assertFailsWith(new String[] {"tessera.registry.security.api-tokens[0].name=ci", "tessera.registry.security.api-tokens[0].token=short"},
        "tessera.registry.security.api-tokens[].token of 'ci' must have at least 16 characters");
  }

  private void assertFailsWith(String property, String message) {
    assertFailsWith(new String[] {property}, message);
  }

  private void assertFailsWith(String[] properties, String message) {
    runner.withPropertyValues(properties).run(ctx -> {
      assertThat(ctx).hasFailed();
      Throwable root = ctx.getStartupFailure();
      while (root.getCause() != null) root = root.getCause();
      assertThat(root).hasMessageStartingWith(message);
    });
  }
}
