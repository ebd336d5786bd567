package dev.tessera.registry.publish;

import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Against a real broker whose registry topic was created by someone else, with the delete policy
 * and a small {@code max.message.bytes}: the registry repairs the policy at start, and a record the
 * broker refuses for good is marked failed without holding up the publishes behind it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class OutboxFailuresIT {
  static final MediaType YAML = MediaType.parseMediaType("application/yaml");
  static final String TOPIC = "registry-failures-" + ProcessHandle.current().pid();
  static final int TOPIC_MAX_MESSAGE_BYTES = 20_000;

  @Autowired
  RestTestClient http;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestBroker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty())
          .configs(Map.of("cleanup.policy", "delete", "retention.ms", "604800000", "max.message.bytes", "" + TOPIC_MAX_MESSAGE_BYTES))))
          .all().get();
    }
    TestBroker.registryOn(registry, TOPIC);
  }

  private RestTestClient.ResponseSpec publish(String yaml) {
    return http.post().uri("/api/v1/groupbys").contentType(YAML).headers(h -> h.setBasicAuth("writer", "writer-secret")).body(yaml).exchange();
  }

  @Test
  void aTopicCreatedWithTheDeletePolicyIsCompactedAtStartBeforeAnyPublish() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String policy = null;
    while (System.nanoTime() < deadline) {
      policy = topicConfig("cleanup.policy");
      if ("compact".equals(policy)) break;
      Thread.sleep(200);
    }
    assertThat(policy).isEqualTo("compact");
    http.get().uri("/actuator/health").exchange().expectBody().jsonPath("$.components.outbox.details.warning").doesNotExist();
  }

  @Test
  void aRecordTheBrokerRefusesIsMarkedFailedAndThePublishesBehindItGoOn() throws Exception {
    String huge = uniqueName("huge");
    // under the registry's own limit (1000KB), over the topic's max.message.bytes
    String text = yaml(huge).replace("purchase statistics per user", "x".repeat(TOPIC_MAX_MESSAGE_BYTES + 1000));
    publish(text).expectStatus().isCreated().expectBody()
        .jsonPath("$.publication.status").isEqualTo("FAILED")
        .jsonPath("$.publication.message").value(m -> assertThat((String) m).contains("RecordTooLargeException"));

    String next = uniqueName("after_huge");
    publish(yaml(next)).expectStatus().isCreated().expectBody().jsonPath("$.publication.status").isEqualTo("SENT");
    assertThat(TestBroker.readAll(TestBroker.bootstrapServers(), TOPIC)).extracting(r -> r.key()).contains(next).doesNotContain(huge);

    http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.components.outbox.status").isEqualTo("UP")
        .jsonPath("$.components.outbox.details.failed").isEqualTo(1)
        .jsonPath("$.components.outbox.details.failedRecords[0].key").isEqualTo(huge);
    long id = failedIdOf(huge);
    http.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
        .value(body -> assertThat(body).containsPattern("tessera_registry_outbox_failed(\\{[^}]*})? 1\\.0"));

    // only admins decide what happens to it
    http.post().uri("/api/v1/outbox/failed/{id}/drop", id).headers(h -> h.setBasicAuth("writer", "writer-secret")).exchange()
        .expectStatus().isForbidden();
    // retried while still too large: back in line, refused again, failed again
    http.post().uri("/api/v1/outbox/failed/{id}/retry", id).headers(h -> h.setBasicAuth("root", "root-secret-1")).exchange()
        .expectStatus().isAccepted();
    awaitFailed(huge);
    http.post().uri("/api/v1/outbox/failed/{id}/drop", id).headers(h -> h.setBasicAuth("root", "root-secret-1")).exchange()
        .expectStatus().isNoContent();
    http.get().uri("/api/v1/outbox/failed").exchange().expectBody().jsonPath("$[?(@.key == '" + huge + "')]").doesNotExist();
    http.post().uri("/api/v1/outbox/failed/{id}/retry", id).headers(h -> h.setBasicAuth("root", "root-secret-1")).exchange()
        .expectStatus().isNotFound().expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/outbox-record-not-found");
    http.get().uri("/actuator/health").exchange().expectBody().jsonPath("$.components.outbox.details.failed").doesNotExist();
  }

  @Test
  void aDefinitionOverTheRegistrysOwnLimitIsRefusedAtPublishTime() {
    String name = uniqueName("too_large");
    // control-character escapes: 2 characters each in YAML, 6 in the canonical JSON (as the measured
    // case's NUL escapes, which are now refused on their own: PostgreSQL cannot store a NUL)
    String text = yaml(name).replace("description: purchase statistics per user",
        "description: \"" + "\\a".repeat(200_000) + "\"");
    publish(text).expectStatus().isBadRequest().expectBody()
        .jsonPath("$.type").isEqualTo("https://tessera.dev/problems/definition-too-large")
        .jsonPath("$.limitBytes").isEqualTo(1_024_000)
        .jsonPath("$.detail").value(d -> assertThat((String) d).contains("max-record-bytes"));
    http.get().uri("/api/v1/groupbys/{n}", name).exchange().expectStatus().isNotFound();
  }

  private long failedIdOf(String key) {
    byte[] body = http.get().uri("/api/v1/outbox/failed").exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
    var list = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
    for (var r : list) if (r.get("key").asString().equals(key)) return r.get("id").asLong();
    throw new AssertionError("no failed record for " + key + ": " + list);
  }

  private void awaitFailed(String key) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      byte[] body = http.get().uri("/api/v1/outbox/failed").exchange().expectBody().returnResult().getResponseBody();
      var list = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
      for (var r : list) if (r.get("key").asString().equals(key) && r.get("attempts").asInt() >= 2) return;
      Thread.sleep(200);
    }
    throw new AssertionError(key + " was not refused again within 30 s");
  }

  private static String topicConfig(String name) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestBroker.bootstrapServers()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      return config.get(name).value();
    }
  }
}
