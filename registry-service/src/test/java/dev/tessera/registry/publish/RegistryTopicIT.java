package dev.tessera.registry.publish;

import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
 * Against a real in-process KRaft broker: the compacted registry topic holds every published
 * version, metadata re-publications and the tombstone, keyed by name, in order; a service that
 * starts later (platform-support's RegistryFollower) learns exactly the live definitions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class RegistryTopicIT {
  static final MediaType YAML = MediaType.parseMediaType("application/yaml");
  static final String TOPIC = "registry-it-" + ProcessHandle.current().pid();

  @Autowired
  RestTestClient http;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    TestBroker.registryOn(registry, TOPIC);
  }

  private RestTestClient.ResponseSpec publish(String yaml) {
    return http.post().uri("/api/v1/groupbys").contentType(YAML).headers(h -> h.setBasicAuth("writer", "writer-secret")).body(yaml).exchange();
  }

  @Test
  void theTopicHoldsEveryVersionAndTheTombstoneAndAFollowerSeesTheLiveSet() throws Exception {
    String retired = uniqueName("topic_retired");
    String live = uniqueName("topic_live");
    publish(yaml(retired, "risk", "1h")).expectStatus().isCreated().expectBody().jsonPath("$.publication.status").isEqualTo("SENT");
    publish(yaml(retired, "fraud", "1h")).expectStatus().isOk().expectBody()
        .jsonPath("$.change").isEqualTo("METADATA_UPDATED").jsonPath("$.publication.status").isEqualTo("SENT");
    publish(yaml(retired, "fraud", "1h, 7d")).expectStatus().isCreated().expectBody().jsonPath("$.publication.status").isEqualTo("SENT");
    publish(yaml(live, "risk", "30m")).expectStatus().isCreated();
    http.delete().uri("/api/v1/groupbys/{n}", retired).headers(h -> h.setBasicAuth("writer", "writer-secret")).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.publication.status").isEqualTo("SENT");

    List<ConsumerRecord<String, String>> records = TestBroker.readAll(TestBroker.bootstrapServers(), TOPIC);
    List<ConsumerRecord<String, String>> ofRetired = records.stream().filter(r -> r.key().equals(retired)).toList();
    assertThat(ofRetired).hasSize(3);
    assertThat(PublishedGroupBy.fromJson(ofRetired.get(0).value())).satisfies(p -> {
      assertThat(p.version()).isEqualTo(1);
      assertThat(p.definition().team()).isEqualTo("risk");
      assertThat(p.publishedBy()).isEqualTo("writer");
    });
    assertThat(PublishedGroupBy.fromJson(ofRetired.get(1).value())).satisfies(p -> {
      assertThat(p.version()).isEqualTo(1);
      assertThat(p.definition().team()).isEqualTo("fraud");
    });
    assertThat(ofRetired.get(2).value()).as("the tombstone").isNull();
    // version 2 waited under the rollout key (DESIGN.md "Version rollout"); retiring cleared it too
    List<ConsumerRecord<String, String>> rollout = records.stream().filter(r -> r.key().equals(PublishedGroupBy.rolloutKey(retired))).toList();
    assertThat(rollout).hasSize(2);
    assertThat(PublishedGroupBy.fromJson(rollout.get(0).value()).version()).isEqualTo(2);
    assertThat(rollout.get(1).value()).as("the rollout key's tombstone").isNull();
    assertThat(records.stream().filter(r -> r.key().equals(live)).map(r -> PublishedGroupBy.fromJson(r.value()).version()))
        .containsExactly(1);

    try (Admin admin = Admin.create(Map.of("bootstrap.servers", TestBroker.bootstrapServers()))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }

    try (RegistryFollower follower = new RegistryFollower(KafkaClients.plaintext(TestBroker.bootstrapServers()), TOPIC)) {
      follower.start();
      assertThat(follower.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      assertThat(follower.get(retired)).isEmpty();
      assertThat(follower.get(live)).get().extracting(LiveGroupBy::version).isEqualTo(1);
      assertThat(follower.get(live).get().compiled().features().getFirst().name()).isEqualTo("amount_avg_30m");
      assertThat(follower.badRecords()).isZero();
    }

    http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
        .jsonPath("$.components.outbox.status").isEqualTo("UP")
        .jsonPath("$.components.outbox.details.pending").isEqualTo(0)
        .jsonPath("$.components.outbox.details.relay").isEqualTo("IDLE");
    http.get().uri("/actuator/prometheus").exchange().expectBody(String.class)
        .value(body -> assertThat(body).containsPattern("tessera_registry_outbox_sent_total\\{[^}]*} [5-9]"));
  }
}
