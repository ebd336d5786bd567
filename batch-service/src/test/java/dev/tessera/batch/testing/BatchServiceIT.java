package dev.tessera.batch.testing;

import dev.tessera.support.Definitions;
import static org.assertj.core.api.Assertions.assertThat;


import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.ParseResult;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.support.Topics;
import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service as it runs: a real port, a DuckDB warehouse file and an H2 job repository file under
 * target/, definitions published to the registry topic on an in-process KRaft broker (the normal
 * path), Redis at 127.0.0.1:6379. Subclasses share one context; every test uses its own GroupBy
 * names and tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "tessera.batch.partitions=2",
    "tessera.batch.chunk-entities=7",
    "tessera.batch.ingest.batch-size=50",
    "spring.data.redis.host=127.0.0.1",
    "spring.data.redis.port=6379"})
@AutoConfigureRestTestClient
@Import(BatchServiceIT.Failures.class)
// Time retention off: the tests produce events stamped with their event times, months old, and the
// broker's retention check (every 5 min) deleted such records between a produce and its ingest
// (an ingest then began at the new log start, its end: 0 of 201 records, CI, ConsistencyIT).
@EmbeddedKafka(partitions = 1, topics = PublishedGroupBy.TOPIC, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
    brokerProperties = "log.retention.ms=-1")
public abstract class BatchServiceIT {
  protected static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String DATA_DIR = "./target/it-data/" + UUID.randomUUID();
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tessera.batch.data-dir", () -> DATA_DIR);
    registry.add("tessera.batch.registry-url", RecordedRegistry.INSTANCE::url);
  }

  @TestConfiguration
  public static class Failures {
    @Bean
    TestFailures testFailures() {
      return new TestFailures();
    }
  }

  /** The service, as a writer (every write needs a credential the registry knows: DESIGN.md "Security"). */
  @Autowired
  protected RestTestClient http;
  /** The service, without any credential. */
  protected RestTestClient anonymous;
  @Autowired
  protected Warehouse warehouse;
  @Autowired
  protected TestFailures failures;
  @Autowired
  protected EmbeddedKafkaBroker broker;
  @Autowired
  protected Definitions definitions;

  @BeforeEach
  void writer() {
    anonymous = http;
    http = http.mutate().defaultHeader("X-API-Key", RecordedRegistry.WRITER_TOKEN).build();
  }

  @AfterEach
  void disarm() {
    failures.disarm();
  }

  /** Creates a topic on the embedded broker and waits until its partitions take records. */
  protected void createTopic(String topic, int partitions) {
    Topics.ensure(KafkaClients.plaintext(broker.getBrokersAsString()), topic, partitions);
  }

  /** A name no other test uses: {@code <prefix>_<n>}. */
  protected static String unique(String prefix) {
    return prefix + "_" + NAMES.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 100000, 36);
  }

  protected static GroupBy parse(String yaml) {
    ParseResult r = GroupByReader.read(yaml);
    assertThat(r.problems()).isEmpty();
    return r.groupBy();
  }

  protected static CompiledGroupBy compile(GroupBy g) {
    return GroupByCompiler.compile(g).orThrow();
  }

  /** Publishes to the registry topic and waits until the service's follower has it. */
  protected PublishedGroupBy publish(GroupBy g, int version) {
    PublishedGroupBy p;
    try (RegistryPublisher publisher = new RegistryPublisher(broker.getBrokersAsString())) {
      p = publisher.publish(g, version);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> definitions.live(g.name()).filter(l -> l.version() == version).isPresent());
    return p;
  }

  /** Publishes a Join version to the registry topic and waits until the service's follower lists it. */
  protected void publish(dev.tessera.agg.join.Join j, int version) {
    try (RegistryPublisher publisher = new RegistryPublisher(broker.getBrokersAsString())) {
      publisher.publish(j, version);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> definitions.allJoins().stream().anyMatch(p -> p.name().equals(j.name()) && p.version() == version));
  }

  /** Publishes {@code version} as the GroupBy's pending version (a rollout) and waits until the service's follower has it. */
  protected void publishPending(GroupBy g, int version) {
    try (RegistryPublisher publisher = new RegistryPublisher(broker.getBrokersAsString())) {
      publisher.publishPending(g, version);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> definitions.pending(g.name()).filter(p -> p.version() == version).isPresent());
  }

  protected JsonNode post(String path, String body, int expectedStatus) {
    byte[] response = http.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).exchange()
        .expectStatus().isEqualTo(expectedStatus)
        .expectBody().returnResult().getResponseBody();
    return response == null || response.length == 0 ? JSON.nullNode() : JSON.readTree(response);
  }

  /** Starts a job and returns its id. */
  protected long start(String path, String body) {
    return post(path, body, 202).get("id").asLong();
  }

  protected JsonNode job(long id) {
    byte[] response = http.get().uri("/api/v1/jobs/" + id).exchange().expectStatus().isOk()
        .expectBody().returnResult().getResponseBody();
    return JSON.readTree(response);
  }

  /** Waits for the job to end and returns its final view. */
  protected JsonNode awaitJob(long id) {
    JsonNode[] last = new JsonNode[1];
    org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
      last[0] = job(id);
      return TERMINAL.contains(last[0].get("status").asString());
    });
    return last[0];
  }

  protected JsonNode runToCompletion(String path, String body) {
    JsonNode view = awaitJob(start(path, body));
    assertThat(view.get("status").asString()).as("job %s: %s", view.get("id"), view.get("errors")).isEqualTo("COMPLETED");
    return view;
  }

  /**
   * Produces string records (keys k0..k6 round robin) to a topic of the embedded broker, each with its
   * own record timestamp, as a live producer stamps events (null: the producer's clock).
   */
  protected void produceAt(String topic, java.util.List<String> values, java.util.List<Long> timestamps) {
    java.util.List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new java.util.ArrayList<>();
    try (var p = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(java.util.Map.of(
        org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
        org.apache.kafka.clients.producer.ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        org.apache.kafka.clients.producer.ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000))) {
      for (int i = 0; i < values.size(); i++) {
        sent.add(p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, null, timestamps.get(i), "k" + (i % 7), values.get(i))));
      }
      p.flush();
      for (var f : sent) f.get();
    } catch (Exception e) {
      throw new IllegalStateException("producing to " + topic + " failed", e);
    }
  }

  /** As {@link #produceAt}, every record with {@code timestamp} (null: the producer's clock). */
  protected void produce(String topic, java.util.List<String> values, Long timestamp) {
    produceAt(topic, values, java.util.Collections.nCopies(values.size(), timestamp));
  }
}
