package dev.tessera.stream.it;

import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.stream.StreamApplication;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Jobs survive a restart of the service: what was started or stopped through the API is recorded on
 * the jobs topic and applied again by the next instance; with auto-start, every online GroupBy
 * gets a job except those stopped through the API.
 */
class JobRecordsIT {
  static final Duration WAIT = Duration.ofSeconds(90);
  static KafkaRedis infra;
  static final String RUN = UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void start() {
    infra = new KafkaRedis();
    Registry.createTopic(infra.bootstrap());
  }

  @AfterAll
  static void stop() {
    for (String g : List.of("a", "b", "c")) infra.deleteKeys(RedisKeys.versionPattern(name(g), 1));
    infra.close();
  }

  static String name(String g) {
    return "rec_" + g + "_" + RUN;
  }

  ConfigurableApplicationContext service(boolean autoStart) {
    // Command-line arguments: they win over application.yml (server.port 8083).
    return new SpringApplicationBuilder(StreamApplication.class).run(
        "--server.port=0",
        "--spring.kafka.bootstrap-servers=" + infra.bootstrap(),
        "--tessera.stream.auto-start=" + autoStart,
        "--tessera.stream.state-dir=target/records-it/" + UUID.randomUUID(),
        "--tessera.stream.reconcile-interval=300ms",
        "--tessera.stream.streams-properties.consumer.session.timeout.ms=6000",
        "--tessera.security.registry-url=" + CredentialRegistry.url());
  }

  static Http http(ConfigurableApplicationContext ctx) {
    return new Http(Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port")));
  }

  static String state(Http http, String groupBy) {
    Http.Response r = http.get("/api/v1/streaming-jobs/" + groupBy);
    return r.status() == 404 ? "NONE" : r.json().get("state").asString();
  }

  @Test
  void jobsStartedOrStoppedThroughTheApiStaySoAcrossRestartsAndAutoStartRespectsThem() {
    for (String g : List.of("a", "b", "c")) {
      infra.createTopic(name(g) + ".events", 1);
      Registry.publish(infra.bootstrap(), Fixtures.purchases(name(g), name(g) + ".events", Duration.ofHours(1)), 1);
    }
    try (ConfigurableApplicationContext first = service(false)) {
      Http http = http(first);
      assertThat(eventually(WAIT, () -> http.post("/api/v1/streaming-jobs", "{\"groupBy\": \"" + name("a") + "\"}").status() == 201))
          .isTrue();
      assertThat(http.post("/api/v1/streaming-jobs", "{\"groupBy\": \"" + name("b") + "\"}").status()).isEqualTo(201);
      assertThat(http.delete("/api/v1/streaming-jobs/" + name("b")).status()).isEqualTo(200);
      assertThat(state(http, name("c"))).as("no auto-start").isEqualTo("NONE");
      // A job that is still joining its group can take long to close: let it get going first.
      assertThat(eventually(WAIT, () -> state(http, name("a")).equals("RUNNING"))).isTrue();
    }
    try (ConfigurableApplicationContext second = service(true)) {
      Http http = http(second);
      assertThat(eventually(WAIT, () -> state(http, name("a")).equals("RUNNING") && state(http, name("c")).equals("RUNNING")))
          .as("a was started through the API, c by auto-start: %s", http.get("/api/v1/streaming-jobs").text()).isTrue();
      assertThat(state(http, name("b"))).as("stopped through the API, so auto-start leaves it").isEqualTo("NONE");
      for (String g : List.of("a", "c")) assertThat(http.delete("/api/v1/streaming-jobs/" + name(g)).status()).isEqualTo(200);
    }
  }
}
