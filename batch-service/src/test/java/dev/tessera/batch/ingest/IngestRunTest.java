package dev.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.definition.DataType;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exactly-once ingest logic over a mock consumer and a real DuckDB file: a crash before commit loses nothing. */
class IngestRunTest {
  static Warehouse warehouse;
  static final String TOPIC = "clicks";

  @BeforeAll
  static void open() {
    warehouse = Warehouse.duckDb(Path.of("target/unit-warehouses/" + UUID.randomUUID() + ".duckdb"), "256MB", 1, null, 100);
  }

  @AfterAll
  static void close() {
    warehouse.close();
  }

  static IngestPlan plan(String table) {
    Map<String, DataType> schema = new LinkedHashMap<>();
    schema.put("user_id", DataType.Primitive.STRING);
    schema.put("n", DataType.Primitive.LONG);
    schema.put("ts", DataType.Primitive.LONG);
    return new IngestPlan(TOPIC, TableName.parse(table), schema, "ts", false);
  }

  static MockConsumer<byte[], byte[]> consumer() {
    MockConsumer<byte[], byte[]> c = new MockConsumer<>(AutoOffsetResetStrategy.NONE.name());
    Node node = new Node(0, "localhost", 9092);
    c.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, node, null, null), new PartitionInfo(TOPIC, 1, node, null, null)));
    c.updateBeginningOffsets(Map.of(new TopicPartition(TOPIC, 0), 0L, new TopicPartition(TOPIC, 1), 0L));
    c.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 10L, new TopicPartition(TOPIC, 1), 5L));
    return c;
  }

  static ConsumerRecord<byte[], byte[]> record(int partition, long offset) {
    String value = partition == 0 && offset == 7 ? "{broken" : "{\"user_id\": \"u" + offset + "\", \"n\": " + offset + ", \"ts\": " + (partition * 1000 + offset) + "}";
    return new ConsumerRecord<>(TOPIC, partition, offset, null, value.getBytes(StandardCharsets.UTF_8));
  }

  static IngestRun.Hooks crashOnBatch(int batch) {
    return new IngestRun.Hooks() {
      int commits;

      @Override
      public void beforeCommit() {
        if (++commits == batch) throw new IllegalStateException("crash");
      }

      @Override
      public void afterCommit() {}
    };
  }

  static long count(String sql) throws SQLException {
    try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void aCrashBeforeCommitRollsBackRowsAndOffsetsTogether() throws SQLException {
    OffsetStore offsets = new OffsetStore(warehouse, TableName.parse("offsets_a"));
    MockConsumer<byte[], byte[]> first = consumer();
    IngestRun run = new IngestRun(warehouse, plan("landed_a"), first, offsets, Duration.ofMillis(10), crashOnBatch(2));
    run.open();
    for (long o = 0; o < 5; o++) first.addRecord(record(0, o));
    assertThat(run.poll().landed()).isEqualTo(5);
    for (long o = 5; o < 10; o++) first.addRecord(record(0, o));
    assertThatThrownBy(run::poll).hasMessage("crash");
    assertThat(count("SELECT count(*) FROM landed_a")).isEqualTo(5);
    assertThat(offsets.load("landed_a", TOPIC)).isEqualTo(Map.of(0, 5L, 1, 0L));

    // The "restarted process": a new consumer over the same log resumes from the warehouse offsets.
    MockConsumer<byte[], byte[]> second = consumer();
    IngestRun again = new IngestRun(warehouse, plan("landed_a"), second, offsets, Duration.ofMillis(10), crashOnBatch(-1));
    again.open();
    for (long o = 0; o < 10; o++) second.addRecord(record(0, o));
    for (long o = 0; o < 5; o++) second.addRecord(record(1, o));
    assertThat(second.position(new TopicPartition(TOPIC, 0))).isEqualTo(5);
    int landed = 0;
    int errors = 0;
    while (again.hasMore()) {
      IngestRun.Batch b = again.poll();
      landed += b.landed();
      errors += b.errors();
    }
    assertThat(landed).isEqualTo(9);
    assertThat(errors).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM landed_a")).isEqualTo(14);
    assertThat(count("SELECT count(DISTINCT (_partition, _offset)) FROM landed_a")).isEqualTo(14);
    assertThat(count("SELECT count(*) FROM landed_a_errors WHERE _offset = 7 AND reason LIKE 'bad JSON%' AND refusal = 'not-an-object'")).isEqualTo(1);
    assertThat(offsets.load("landed_a", TOPIC)).isEqualTo(Map.of(0, 10L, 1, 5L));
  }

  /**
   * A feature log with both kinds of records lands GroupBy records in the table as before (into a
   * table created before Join rows existed, whose rows stay readable) and Join rows in
   * {@code <table>_joins}, in the same transactions as the offsets.
   */
  @Test
  void aFeatureLogLandsJoinRowsBesideAnOldGroupByTable() throws SQLException {
    String table = "flog_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
      // the table as an ingest before Joins left it: no Join table, one GroupBy row without a kind
      s.execute("CREATE TABLE " + table + " (group_by VARCHAR, version INTEGER, as_of BIGINT, keys JSON, features JSON, meta JSON,"
          + " logged_at BIGINT, request_id VARCHAR, _topic VARCHAR, _partition INTEGER, _offset BIGINT)");
      s.execute("INSERT INTO " + table + " VALUES ('g', 1, 5, '{\"user_id\": \"u0\"}', '{\"n\": 1}', NULL, 6, 'old', 'old_topic', 0, 0)");
    }
    IngestPlan plan = new IngestPlan(TOPIC, TableName.parse(table), Map.of(), "as_of", false, IngestFormat.FEATURE_LOG);
    MockConsumer<byte[], byte[]> consumer = consumer();
    consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 5L, new TopicPartition(TOPIC, 1), 5L));
    OffsetStore offsets = new OffsetStore(warehouse, TableName.parse("offsets_flog"));
    IngestRun run = new IngestRun(warehouse, plan, consumer, offsets, Duration.ofMillis(10), crashOnBatch(-1));
    run.open();
    String groupBy = "{\"kind\": \"groupby\", \"groupBy\": \"g\", \"version\": 1, \"keys\": {\"user_id\": \"u1\"}, \"asOf\": 10,"
        + " \"features\": {\"n\": 2}, \"meta\": {\"stale\": false}}";
    String noKind = groupBy.replace("\"kind\": \"groupby\", ", "");
    String join = "{\"kind\": \"join\", \"join\": \"model\", \"version\": 2, \"keys\": {\"buyer\": \"u1\"}, \"asOf\": 11,"
        + " \"status\": \"Success\", \"features\": {\"buyer_n\": 2}, \"meta\": {\"joinVersion\": 2, \"parts\": {}}}";
    List<String> values = List.of(groupBy, join, noKind, join.replace("\"status\": \"Success\", ", ""), join);
    for (int i = 0; i < values.size(); i++) {
      consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, null, values.get(i).getBytes(StandardCharsets.UTF_8)));
    }
    for (long o = 0; o < 5; o++) consumer.addRecord(new ConsumerRecord<>(TOPIC, 1, o, null, join.getBytes(StandardCharsets.UTF_8)));
    int landed = 0;
    while (run.hasMore()) landed += run.poll().landed();
    assertThat(landed).isEqualTo(9);
    assertThat(count("SELECT count(*) FROM " + table)).as("the old row and two new GroupBy rows").isEqualTo(3);
    assertThat(count("SELECT count(*) FROM " + table + " WHERE group_by = 'g' AND features IS NOT NULL")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM " + table + "_joins WHERE join_name = 'model' AND version = 2 AND status = 'Success'"
        + " AND as_of = 11 AND json_extract(features, '$.buyer_n') = 2")).isEqualTo(7);
    assertThat(count("SELECT count(DISTINCT (_partition, _offset)) FROM " + table + "_joins")).isEqualTo(7);
    assertThat(count("SELECT count(*) FROM " + table + "_errors WHERE _offset = 3 AND reason LIKE '%status%'")).isEqualTo(1);
    assertThat(offsets.load(table, TOPIC)).isEqualTo(Map.of(0, 5L, 1, 5L));
  }
}
