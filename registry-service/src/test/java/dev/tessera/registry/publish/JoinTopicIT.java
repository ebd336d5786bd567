package dev.tessera.registry.publish;

import static dev.tessera.registry.Definitions.joinYaml;
import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Against a real in-process KRaft broker: every Join version, metadata re-publication and the
 * retirement reach the registry topic under {@code join:<name>} as {@link PublishedJoin} JSON
 * (null on retire), through the same outbox as the GroupBys, whose records stay as they were.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class JoinTopicIT {
  static final MediaType YAML = MediaType.parseMediaType("application/yaml");
  static final String TOPIC = "registry-join-it-" + ProcessHandle.current().pid();

  @Autowired
  RestTestClient http;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    TestBroker.registryOn(registry, TOPIC);
  }

  private RestTestClient.ResponseSpec publish(String path, String yaml) {
    return http.post().uri(path).contentType(YAML).headers(h -> h.setBasicAuth("writer", "writer-secret")).body(yaml).exchange();
  }

  @Test
  void everyJoinVersionAndItsRetirementLandOnTheTopicUnderJoinKeys() {
    String g = uniqueName("topic_gb");
    String name = uniqueName("topic_join");
    publish("/api/v1/groupbys", yaml(g)).expectStatus().isCreated();
    publish("/api/v1/joins", joinYaml(name, g)).expectStatus().isCreated().expectBody()
        .jsonPath("$.publication.status").isEqualTo("SENT");
    publish("/api/v1/joins", joinYaml(name, g, "fraud", "amount_now / buyer_amount_avg_24h")).expectStatus().isOk().expectBody()
        .jsonPath("$.change").isEqualTo("METADATA_UPDATED").jsonPath("$.publication.status").isEqualTo("SENT");
    publish("/api/v1/joins", joinYaml(name, g, "fraud", "amount_now * 2.0")).expectStatus().isCreated();
    http.delete().uri("/api/v1/joins/{n}", name).headers(h -> h.setBasicAuth("writer", "writer-secret")).exchange()
        .expectStatus().isOk().expectBody().jsonPath("$.publication.status").isEqualTo("SENT");

    List<ConsumerRecord<String, String>> records = TestBroker.readAll(TestBroker.bootstrapServers(), TOPIC);
    List<ConsumerRecord<String, String>> ofJoin = records.stream().filter(r -> r.key().equals("join:" + name)).toList();
    assertThat(ofJoin).hasSize(4);
    assertThat(PublishedJoin.fromJson(ofJoin.get(0).value())).satisfies(p -> {
      assertThat(p.name()).isEqualTo(name);
      assertThat(p.version()).isEqualTo(1);
      assertThat(p.definition().team()).isEqualTo("risk");
      assertThat(p.definition().parts().getFirst().groupBy()).isEqualTo(g);
      assertThat(p.publishedBy()).isEqualTo("writer");
    });
    assertThat(ofJoin.get(0).value()).contains("\"kind\":\"join\"");
    assertThat(PublishedJoin.fromJson(ofJoin.get(1).value())).satisfies(p -> {
      assertThat(p.version()).isEqualTo(1);
      assertThat(p.definition().team()).isEqualTo("fraud");
    });
    assertThat(PublishedJoin.fromJson(ofJoin.get(2).value()).version()).isEqualTo(2);
    assertThat(ofJoin.get(3).value()).as("the tombstone").isNull();

    // the GroupBy's record is what it always was: under the bare name, no kind, readable as PublishedGroupBy
    assertThat(records.stream().filter(r -> r.key().equals(g)).toList()).singleElement().satisfies(r -> {
      assertThat(PublishedGroupBy.fromJson(r.value()).version()).isEqualTo(1);
      assertThat(r.value()).doesNotContain("\"kind\"");
    });
    assertThat(records.stream().filter(r -> r.key().equals(name))).as("no Join record under a bare name").isEmpty();
  }
}
