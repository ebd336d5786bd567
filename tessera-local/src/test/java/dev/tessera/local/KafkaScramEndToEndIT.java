package dev.tessera.local;

import static dev.tessera.local.TestEvents.at;
import static dev.tessera.local.TestEvents.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.Json;
import dev.tessera.agg.testkit.NaiveAggregator;
import dev.tessera.support.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 24's secured Kafka: the broker's only client listener is SASL_SSL, SCRAM-SHA-512 logins
 * over TLS with a certificate made for the test, and the four services are pointed at it through
 * {@code spring.kafka.*} alone (security protocol, SASL mechanism, the login in
 * {@code SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG}, and {@code spring.kafka.ssl.bundle} naming a
 * Spring Boot SSL bundle with the trust store). A client without a login, with a wrong password, or
 * not trusting the broker's certificate gets nothing from the broker. Through it the registry
 * publishes (outbox relay), fetcher, batch and stream follow the registry topic, batch ingests
 * events, the stream streams them into Redis, served values equal the oracle, the fetcher logs every
 * fetch to the feature log; and each service's Kafka clients export their metrics to Prometheus.
 */
class KafkaScramEndToEndIT {
  private static final long MINUTE = 60_000L, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  private static final int USERS = 12;
  private static final Duration SETTLE = Duration.ofSeconds(60);

  private final String name = "scram_e2e_" + Long.toHexString(System.nanoTime() & 0xFFFFFF);
  private final String topic = name + "_purchases";

  @Test
  void allFourServicesPublishFollowStreamIngestAndLogThroughAScramOverTlsListener() throws Exception {
    LocalDate d = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    long b = d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();   // batch end B = D+1 00:00
    Random r = new Random(24);
    List<Map<String, Object>> history = new ArrayList<>();
    List<Map<String, Object>> today = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      for (int i = 0; i < 8; i++) history.add(TestEvents.purchase(u, b - 2 * DAY + (long) (r.nextDouble() * 2 * DAY), r));
      for (int i = 0; i < 4; i++) today.add(TestEvents.purchase(u, b + (long) (r.nextDouble() * 6 * HOUR), r));
    }
    history.sort(Comparator.comparingLong(TestEvents::ts));
    today.sort(Comparator.comparingLong(TestEvents::ts));
    List<Long> times = List.of(b + HOUR, b + 3 * HOUR + 5 * MINUTE, b + 5 * HOUR);
    String yaml = TestEvents.purchasesGroupBy(name, topic);
    CompiledGroupBy g = GroupByCompiler.compile(yaml).orThrow();
    List<Map<String, Object>> all = new ArrayList<>(history);
    all.addAll(today);
    Map<List<Object>, List<Row>> rows = Entities.rowsByKey(g, all);
    NaiveAggregator oracle = new NaiveAggregator(g);
    Map<String, Operation> operations = TestEvents.operations(g);

    try (StackFixture stack = StackFixture.startWithScramOverTls(Path.of("target", "kafka-scram-e2e"), Map.of(
        Service.STREAM, Map.of("tessera.stream.partitioning", "source"),
        Service.FETCHER, Map.of("tessera.fetcher.feature-log.sample-rate", "1")))) {
      assertRefusedWithoutALogin(stack);
      try (Producer<String, String> producer = stack.kafka().producer(Map.of("linger.ms", 5), new StringSerializer(), new StringSerializer())) {
        Topics.ensure(stack.kafka(), topic, 4);
        Topics.ensure(stack.kafka(), "tessera.feature-log", 2);
        // registry: the outbox relay publishes to the registry topic; the stream service learns of it there
        stack.registry().post(stack.url(Service.REGISTRY) + "/api/v1/groupbys", "application/yaml", yaml).orThrow("publish");
        stack.startStreamingJob(name);

        // batch: ingest from the topic, then the upload as of D
        send(producer, topic, history);
        JsonNode ingest = stack.runJob("ingest", Map.of("topic", topic, "groupBy", name));
        assertThat(ingest.path("result").path("recordsLanded").asLong()).as("%s", ingest).isEqualTo(history.size());
        stack.runJob("upload", Map.of("groupBy", name, "date", d.toString()));

        // stream: D+1's events into Redis tiles; the fetcher serves batch + stream = the oracle
        long sent = System.currentTimeMillis();
        send(producer, topic, today);
        stack.awaitStreamCaughtUp(name, sent);
        long fetches = awaitServedEqualsOracle(stack, times, rows, oracle, operations);

        // fetcher: every result logged to the feature log (asynchronously: ingest until all landed)
        stack.ingestFeatureLog(fetches);

        assertKafkaClientMetricsExported(stack);
      } finally {
        stack.deleteRedisKeys("tsr:{" + name + ":*");
        stack.deleteRedisKeys("tsr:upload:" + name + ":*");
      }
    }
  }

  /**
   * The broker's listener is not open: no login, no answer; a wrong password, an authentication
   * error; the right login without trusting the broker's certificate, a TLS handshake error.
   */
  private static void assertRefusedWithoutALogin(StackFixture stack) {
    Map<String, Object> quick = Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    Map<String, Object> anonymous = new HashMap<>(quick);
    anonymous.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    try (Admin admin = Admin.create(anonymous)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS)).as("a client without a login")
          .isInstanceOf(ExecutionException.class);
    }
    Map<String, Object> wrongPassword = new HashMap<>(stack.kafkaSettings());
    wrongPassword.putAll(quick);
    wrongPassword.put(SaslConfigs.SASL_JAAS_CONFIG, new LocalKafka.Login("tessera", "not-the-password").jaasConfig());
    try (Admin admin = Admin.create(wrongPassword)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS)).as("a client with a wrong password")
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
    }
    Map<String, Object> untrusting = new HashMap<>(stack.kafkaSettings());
    untrusting.putAll(quick);
    untrusting.keySet().removeIf(k -> k.startsWith("ssl.truststore."));
    try (Admin admin = Admin.create(untrusting)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS)).as("a client that does not trust the certificate")
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
    }
  }

  /** Fetches every user at every time until all equal the oracle; returns how many results were served (each one logged). */
  private long awaitServedEqualsOracle(StackFixture stack, List<Long> times, Map<List<Object>, List<Row>> rows, NaiveAggregator oracle,
      Map<String, Operation> operations) throws Exception {
    List<Map<String, String>> body = new ArrayList<>();
    for (int u = 0; u < USERS; u++) body.add(Map.of("user_id", TestEvents.user(u)));
    long fetches = 0;
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      List<String> mismatches = new ArrayList<>();
      for (long t : times) {
        JsonNode response = stack.rest().postJson(stack.url(Service.FETCHER) + "/v1/features/groupby/" + name + "?atMillis=" + t, body)
            .orThrow("fetch");
        for (JsonNode result : response.path("results")) {
          fetches++;
          List<Object> key = List.of(result.path("entityKeys").path("user_id").asString());
          if (!"Success".equals(result.path("status").asString())) {
            mismatches.add(key + " @" + at(t) + ": " + result);
            continue;
          }
          Map<String, Object> served = Json.toMap(result.path("features"));
          for (String m : FeatureComparison.mismatches(oracle.valuesAt(rows.getOrDefault(key, List.of()), t), served, operations)) {
            mismatches.add(key + " @" + at(t) + ": " + m);
          }
        }
      }
      if (mismatches.isEmpty()) return fetches;
      assertThat(System.nanoTime()).as("served vs oracle: %s", mismatches.subList(0, Math.min(10, mismatches.size()))).isLessThan(deadline);
      Thread.sleep(2000);
    }
  }

  /**
   * Each service's own Kafka clients report to Prometheus (platform-support's KafkaClients), with
   * counts that show they worked: the registry's outbox producer sent, the registry followers of
   * fetcher, batch and stream consumed, the fetcher's feature-log producer sent; and the stream
   * job's Kafka Streams clients report under the job's tags.
   */
  private void assertKafkaClientMetricsExported(StackFixture stack) throws Exception {
    String registry = DashboardQueries.page(stack, Service.REGISTRY);
    assertThat(value(registry, "kafka_producer_record_send_total", "tessera-registry-outbox")).as("registry outbox producer").isPositive();
    String fetcher = DashboardQueries.page(stack, Service.FETCHER);
    assertThat(value(fetcher, "kafka_consumer_fetch_manager_records_consumed_total", "tessera-registry-follower")).as("fetcher follower").isPositive();
    assertThat(value(fetcher, "kafka_producer_record_send_total", "tessera-fetcher-feature-log")).as("fetcher feature log").isPositive();
    String batch = DashboardQueries.page(stack, Service.BATCH);
    assertThat(value(batch, "kafka_consumer_fetch_manager_records_consumed_total", "tessera-registry-follower")).as("batch follower").isPositive();
    String stream = DashboardQueries.page(stack, Service.STREAM);
    assertThat(value(stream, "kafka_consumer_fetch_manager_records_consumed_total", "tessera-registry-follower")).as("stream follower").isPositive();
    assertThat(stream).containsPattern("kafka_stream_[a-z_]+\\{[^}]*groupBy=\"" + name + "\"");
  }

  /** The sum of a Prometheus counter's series of one Kafka client ({@code client_id}); fails when there is none. */
  private static double value(String page, String metric, String clientId) {
    Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)\\} (\\S+)$").matcher(page);
    double sum = 0;
    boolean found = false;
    while (m.find()) {
      if (!m.group(1).contains("client_id=\"" + clientId + "\"")) continue;
      found = true;
      sum += Double.parseDouble(m.group(2));
    }
    assertThat(found).as("%s{client_id=%s} on the page", metric, clientId).isTrue();
    return sum;
  }
}
