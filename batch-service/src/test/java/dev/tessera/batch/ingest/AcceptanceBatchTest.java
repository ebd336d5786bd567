package dev.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.testkit.AcceptanceCases;
import dev.tessera.agg.testkit.AcceptanceCases.Case;
import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.EntityReader;
import dev.tessera.batch.read.EventStreams;
import dev.tessera.batch.read.Partition;
import dev.tessera.batch.read.ReadStats;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The acceptance rule on the batch side (DESIGN.md "Which events count"), with the records the
 * stream's {@code AcceptanceTopologyTest} pipes through the topology: the topic is ingested into a
 * real DuckDB table (the record time kept in {@code _timestamp}), then read by the GroupBy's batch
 * reader. What ingest refuses lands in the errors table with its reason; what the read refuses is
 * counted under its reason; the two together are exactly the stream's dead letters, reason by
 * reason, and the accepted entities are the stream's.
 */
class AcceptanceBatchTest {
  static Warehouse warehouse;

  @BeforeAll
  static void open() {
    warehouse = Warehouse.duckDb(Path.of("target/unit-warehouses/" + UUID.randomUUID() + ".duckdb"), "256MB", 1, null, 100);
  }

  @AfterAll
  static void close() {
    warehouse.close();
  }

  @Test
  void ingestAndReadTogetherReachTheOutcomeOfEveryCase() throws SQLException {
    String table = "purchases_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    CompiledGroupBy g = AcceptanceCases.compiled(table);
    EventSource source = (EventSource) g.definition().sources().getFirst();
    IngestPlan plan = new IngestPlan(AcceptanceCases.TOPIC, TableName.parse(table), source.schema(), source.query().timeColumn(), false);
    List<Case> cases = AcceptanceCases.ALL;
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.NONE.name());
    TopicPartition tp = new TopicPartition(AcceptanceCases.TOPIC, 0);
    consumer.updatePartitions(tp.topic(), List.of(new PartitionInfo(tp.topic(), 0, new Node(0, "localhost", 9092), null, null)));
    consumer.updateBeginningOffsets(Map.of(tp, 0L));
    consumer.updateEndOffsets(Map.of(tp, (long) cases.size()));
    IngestRun run = new IngestRun(warehouse, plan, consumer, new OffsetStore(warehouse, TableName.parse("offsets_" + table)),
        Duration.ofMillis(10), new IngestRun.Hooks() {
          @Override
          public void beforeCommit() {}

          @Override
          public void afterCommit() {}
        });
    run.open();
    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      consumer.addRecord(new ConsumerRecord<>(tp.topic(), 0, i, c.recordTime(), TimestampType.CREATE_TIME, -1, -1, bytes(c.key()),
          bytes(c.value()), new RecordHeaders(), Optional.empty()));
    }
    while (run.hasMore()) run.poll();

    Map<String, Long> refused = new TreeMap<>();
    try (Connection conn = warehouse.connect(); Statement s = conn.createStatement();
        ResultSet rs = s.executeQuery("SELECT refusal, count(*) FROM " + table + "_errors GROUP BY refusal")) {
      while (rs.next()) refused.put(rs.getString(1), rs.getLong(2));
    }
    assertThat(count("SELECT count(*) FROM " + table + " WHERE _timestamp = " + AcceptanceCases.T)).as("record times kept")
        .isEqualTo(count("SELECT count(*) FROM " + table));

    List<String> users = new ArrayList<>();
    try (EntityReader r = EventStreams.open(warehouse, g, SourcePlan.of(g), null, null, new Partition(0, 1), null, null, 10)) {
      for (Entity e = r.next(); e != null; e = r.next()) users.add((String) e.key().getFirst());
      ReadStats stats = r.states().getFirst().stats();
      stats.refusals().forEach((reason, n) -> refused.merge(reason, n, Long::sum));
      assertThat(stats.filtered()).isEqualTo(1);
    }
    assertThat(refused).isEqualTo(AcceptanceCases.expectedRefusals());
    assertThat(users).containsExactlyElementsOf(AcceptanceCases.acceptedUsers());
  }

  static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  static long count(String sql) throws SQLException {
    try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
