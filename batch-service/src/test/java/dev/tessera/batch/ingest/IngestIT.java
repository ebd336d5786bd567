package dev.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.Tables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import java.util.concurrent.Future;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Ingest from the embedded KRaft broker into DuckDB: every record exactly once across crashes, malformed ones kept. */
class IngestIT extends BatchServiceIT {

  record Produced(int good, int bad) {}

  /** {@code good} valid events spread over the partitions, then the malformed kinds, interleaved. */
  Produced produce(String topic, int good, int firstId) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < good; i++) {
      int id = firstId + i;
      values.add("{\"user_id\": \"u" + (id % 17) + "\", \"amount\": " + (id % 50) + ".25, \"tags\": [\"a\", \"" + id + "\"], \"ts\": "
          + (1_700_000_000_000L + id * 1000L) + ", \"extra\": \"ignored\"}");
    }
    List<String> bad = List.of("not json at all", "[1, 2, 3]", "{\"user_id\": \"u1\", \"amount\": \"lots\", \"ts\": 1}",
        "{\"user_id\": \"u1\", \"amount\": 1.0}", "{\"user_id\": 7, \"amount\": 2.5, \"ts\": 1.5}");
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 180_000))) {
      int i = 0;
      for (String v : values) {
        sent.add(p.send(new ProducerRecord<>(topic, "k" + (i++ % 5), v)));
        if (i % 40 == 0 && i / 40 <= bad.size()) sent.add(p.send(new ProducerRecord<>(topic, "bad", bad.get(i / 40 - 1))));
      }
      sent.add(p.send(new ProducerRecord<>(topic, "tomb", null)));
      p.flush();
      // A send that failed (e.g. metadata not ready on a loaded machine) must fail the test, not look like a loss.
      for (Future<RecordMetadata> f : sent) f.get();
    } catch (Exception e) {
      throw new IllegalStateException("producing the test events failed: " + e, e);
    }
    return new Produced(good, Math.min(bad.size(), good / 40) + 1);
  }

  String createTopic() {
    String topic = unique("events");
    createTopic(topic, 3);
    return topic;
  }

  String request(String topic, String table) {
    return """
        {"topic": "%s", "table": "%s", "timeColumn": "ts",
         "schema": {"user_id": "STRING", "amount": "DOUBLE", "tags": "LIST<STRING>", "ts": "LONG"}}""".formatted(topic, table);
  }

  void assertExactlyOnce(String table, int expectedRows) {
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + table)).isEqualTo(expectedRows);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM (SELECT DISTINCT _partition, _offset FROM " + table + ") d"))
        .as("no record landed twice").isEqualTo(expectedRows);
    assertThat(Tables.count(warehouse, "SELECT count(DISTINCT ts) FROM " + table)).as("every event once").isEqualTo(expectedRows);
  }

  @Test
  void aCrashBeforeCommitLosesNothingAndDuplicatesNothing() {
    String topic = createTopic();
    String table = unique("landed");
    Produced p = produce(topic, 600, 0);

    failures.arm(FailurePoints.INGEST_BEFORE_COMMIT, step -> step.getCommitCount() >= 3);
    long id = start("/api/v1/jobs/ingest", request(topic, table));
    JsonNode failed = awaitJob(id);
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("errors").toString()).contains("simulated crash at ingest.before-commit");
    long landedBefore = Tables.count(warehouse, "SELECT count(*) FROM " + table);
    assertThat(landedBefore).isPositive().isLessThan(p.good());

    post("/api/v1/jobs/" + id + "/restart", "", 202);
    JsonNode done = awaitJob(id);
    assertThat(done.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(done.get("attempts").size()).isEqualTo(2);
    assertExactlyOnce(table, p.good());
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + table + "_errors")).isEqualTo(p.bad());
    List<String> reasons = Tables.query(warehouse, "SELECT reason FROM " + table + "_errors ORDER BY reason").stream()
        .map(r -> (String) r.get("reason")).toList();
    // The shared acceptance rule (common-agg Acceptance) words the reasons, the same as the stream's dead letters.
    assertThat(reasons).contains("not a JSON object: the record starts with 'n'", "not a JSON object: the record starts with '['")
        .anyMatch(r -> r.contains("column 'amount'")).anyMatch(r -> r.contains("no event time"))
        .anyMatch(r -> r.contains("tombstone"));
    // Lists land as JSON text; values keep their types.
    Map<String, Object> first = Tables.query(warehouse, "SELECT * FROM " + table + " WHERE ts = 1700000000000").getFirst();
    assertThat(first).containsEntry("user_id", "u0").containsEntry("amount", 0.25).containsEntry("tags", "[\"a\",\"0\"]");
    // The offsets stored with the data are the topic's end.
    long stored = Tables.count(warehouse, "SELECT sum(next_offset) FROM tessera_ingest_offsets WHERE table_name = '" + table + "'");
    assertThat(stored).isEqualTo(p.good() + p.bad());
  }

  @Test
  void aCrashAfterCommitResumesFromTheWarehouseOffsetsAndLaterRunsTakeOnlyNewRecords() {
    String topic = createTopic();
    String table = unique("landed");
    Produced p = produce(topic, 400, 0);
    failures.arm(FailurePoints.INGEST_AFTER_COMMIT, step -> step.getCommitCount() >= 2);
    long id = start("/api/v1/jobs/ingest", request(topic, table));
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("FAILED");
    post("/api/v1/jobs/" + id + "/restart", "", 202);
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("COMPLETED");
    assertExactlyOnce(table, p.good());

    Produced more = produce(topic, 120, 10_000);
    JsonNode second = runToCompletion("/api/v1/jobs/ingest", request(topic, table));
    assertThat(second.get("result").get("recordsLanded").asLong()).isEqualTo(more.good());
    assertExactlyOnce(table, p.good() + more.good());
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + table + "_errors")).isEqualTo(p.bad() + more.bad());
  }

  @Test
  void aContinuousIngestLandsRecordsAsTheyComeUntilStopped() {
    String topic = createTopic();
    String table = unique("landed");
    long id = start("/api/v1/jobs/ingest", request(topic, table).replace("\"timeColumn\": \"ts\",", "\"timeColumn\": \"ts\", \"mode\": \"continuous\","));
    Produced p = produce(topic, 90, 0);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).ignoreExceptions()
        .until(() -> Tables.count(warehouse, "SELECT count(*) FROM " + table) == p.good());
    assertThat(job(id).get("status").asString()).isEqualTo("STARTED");
    Produced more = produce(topic, 45, 1000);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).ignoreExceptions()
        .until(() -> Tables.count(warehouse, "SELECT count(*) FROM " + table) == p.good() + more.good());
    post("/api/v1/jobs/" + id + "/stop", "", 202);
    JsonNode stopped = awaitJob(id);
    assertThat(stopped.get("status").asString()).isIn("STOPPED", "COMPLETED");
    assertExactlyOnce(table, p.good() + more.good());
  }

  @Test
  void requestsAreValidated() {
    JsonNode p = post("/api/v1/jobs/ingest", "{\"topic\": \"t\", \"table\": \"bad table\", \"schema\": {\"a\": \"NUMBER\"}, \"mode\": \"sometimes\"}", 400);
    Map<String, String> fields = new HashMap<>();
    p.get("errors").forEach(e -> fields.put(e.get("field").asString(), e.get("message").asString()));
    assertThat(fields).containsKeys("table", "schema.a", "timeColumn", "mode");
  }
}
