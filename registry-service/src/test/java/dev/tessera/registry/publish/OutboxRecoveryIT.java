package dev.tessera.registry.publish;

import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.registry.PublishedGroupBy;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Nothing is lost when Kafka is down: a publish is committed and answered, the response and the
 * health endpoint say it is pending, and once a broker comes up on the configured address the relay
 * delivers it without anyone doing anything.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class OutboxRecoveryIT {
  static final int KAFKA_PORT = freePort();
  static final String TOPIC = "registry-recovery-" + ProcessHandle.current().pid();
  static EmbeddedKafkaKraftBroker broker;

  @Autowired
  RestTestClient http;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", () -> "localhost:" + KAFKA_PORT);
    registry.add("tessera.registry.topic", () -> TOPIC);
    registry.add("tessera.registry.publication.publish-wait", () -> "1s");
    registry.add("tessera.registry.publication.stale-after", () -> "1s");
    registry.add("tessera.registry.publication.retry-initial", () -> "200ms");
    registry.add("tessera.registry.publication.retry-max", () -> "1s");
  }

  @AfterAll
  static void stop() {
    if (broker != null) broker.destroy();
  }

  @Test
  void aPublishWhileKafkaIsDownIsDeliveredWhenTheBrokerComesUp() throws Exception {
    String name = uniqueName("recovery");
    http.post().uri("/api/v1/groupbys").contentType(MediaType.parseMediaType("application/yaml"))
        .headers(h -> h.setBasicAuth("writer", "writer-secret")).body(yaml(name)).exchange()
        .expectStatus().isCreated()
        .expectBody()
        .jsonPath("$.version").isEqualTo(1)
        .jsonPath("$.publication.status").isEqualTo("PENDING")
        .jsonPath("$.publication.pendingRecords").isEqualTo(1);
    // committed: readable at once, whatever Kafka does
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectStatus().isOk();

    awaitHealth(503, 30);
    awaitRelay("FAILING", 30);
    http.get().uri("/actuator/health").exchange().expectBody()
        .jsonPath("$.components.outbox.status").isEqualTo("DOWN")
        .jsonPath("$.components.outbox.details.pending").isEqualTo(1)
        .jsonPath("$.components.outbox.details.relay").isEqualTo("FAILING")
        .jsonPath("$.components.outbox.details.lastError").exists();
    http.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
        .value(body -> assertThat(body).containsPattern("tessera_registry_outbox_pending\\{[^}]*} 1\\.0")
            .containsPattern("tessera_registry_outbox_send_failures_total\\{[^}]*} [1-9]"));

    broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.brokerProperties(Map.of(
        "listeners", "EXTERNAL://localhost:0,CONTROLLER://localhost:0,DEV://localhost:" + KAFKA_PORT,
        "listener.security.protocol.map", "EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,DEV:PLAINTEXT"));
    broker.afterPropertiesSet();

    awaitHealth(200, 90);
    http.get().uri("/actuator/health").exchange().expectBody()
        .jsonPath("$.components.outbox.details.pending").isEqualTo(0);

    List<ConsumerRecord<String, String>> records = TestBroker.readAll("localhost:" + KAFKA_PORT, TOPIC);
    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo(name);
      assertThat(PublishedGroupBy.fromJson(r.value()).version()).isEqualTo(1);
    });
  }

  private void awaitHealth(int status, int seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    int last = -1;
    while (System.currentTimeMillis() < deadline) {
      last = http.get().uri("/actuator/health").exchange().returnResult().getStatus().value();
      if (last == status) return;
      Thread.sleep(250);
    }
    throw new AssertionError("health stayed " + last + ", expected " + status + " within " + seconds + " s");
  }

  private void awaitRelay(String state, int seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    String last = null;
    while (System.currentTimeMillis() < deadline) {
      String body = http.get().uri("/actuator/health").exchange().expectBody(String.class).returnResult().getResponseBody();
      last = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body).at("/components/outbox/details/relay").asString();
      if (state.equals(last)) return;
      Thread.sleep(250);
    }
    throw new AssertionError("relay stayed " + last + ", expected " + state + " within " + seconds + " s");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
