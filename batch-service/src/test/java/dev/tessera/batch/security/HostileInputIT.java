package dev.tessera.batch.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.join.JoinParseResult;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.Tables;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * Issue 21, "What was measured", for the batch service: each hostile request is refused with a
 * clear answer, and the table or Redis data it aimed at is unchanged.
 */
class HostileInputIT extends BatchServiceIT {
  static final List<String> COLUMNS = List.of("user_id", "merchant", "amount", "qty", "currency", "ts");
  static final long T0 = 1_709_251_200_000L; // 2024-03-01

  @Autowired
  RedisConnectionFactory redis;

  /** A GroupBy over a fresh table with three events; returns its name. */
  private String groupBy(String table, boolean online) {
    String name = unique("hostile");
    Tables.createPurchases(warehouse, table);
    Tables.insert(warehouse, table, COLUMNS, List.of(
        Map.of("user_id", "u1", "merchant", "m", "amount", 1.0, "qty", 1L, "currency", "USD", "ts", T0),
        Map.of("user_id", "u1", "merchant", "m", "amount", 2.0, "qty", 1L, "currency", "USD", "ts", T0 + 1000),
        Map.of("user_id", "u2", "merchant", "m", "amount", 3.0, "qty", 1L, "currency", "USD", "ts", T0 + 2000)));
    GroupBy g = parse("""
        name: %s
        online: %s
        keys: [user_id]
        sources:
          - events:
              table: %s
              topic: %s_topic
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1d]}
        """.formatted(name, online, table, table));
    publish(g, 1);
    return name;
  }

  private String labels() {
    String left = unique("labels");
    Tables.execute(warehouse, "CREATE TABLE " + left + " (user_id VARCHAR, t BIGINT)");
    Tables.execute(warehouse, "INSERT INTO " + left + " VALUES ('u1', " + (T0 + 5000) + ")");
    return left;
  }

  private static List<String> messages(JsonNode problem, String field) {
    return problem.get("errors").valueStream().filter(e -> e.get("field").asString().equals(field)).map(e -> e.get("message").asString()).toList();
  }

  @Test
  void aTrainingSetMayNotReplaceAnotherGroupBysSourceTable() {
    String victimTable = unique("victim_events");
    groupBy(victimTable, false);
    String attacker = groupBy(unique("attacker_events"), false);
    JsonNode refused = post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "t", "outputTable": "%s"}""".formatted(attacker, labels(), victimTable), 400);
    assertThat(messages(refused, "outputTable")).anySatisfy(m -> assertThat(m).contains("is a source table of GroupBy"));
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + victimTable)).as("the victim table is untouched").isEqualTo(3);
  }

  @Test
  void aTrainingSetMayNotWriteASnapshotTable() {
    String g = groupBy(unique("snap_events"), false);
    JsonNode refused = post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "t", "outputTable": "%s_v1_daily"}""".formatted(g, labels(), unique("other")), 400);
    assertThat(messages(refused, "outputTable")).anySatisfy(m -> assertThat(m).contains("backfill snapshot"));
  }

  @Test
  void aJobReplacesOnlyItsOwnOutputAndSaysSo() {
    String first = groupBy(unique("own_events"), false);
    String second = groupBy(unique("other_events"), false);
    String left = labels();
    String out = unique("own_training");
    String body = """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "t", "outputTable": "%s"}""";
    JsonNode made = post("/api/v1/jobs/training-set", body.formatted(first, left, out), 202);
    assertThat(made.has("replaces")).isFalse();
    awaitJob(made.get("id").asLong());
    long rows = Tables.count(warehouse, "SELECT count(*) FROM " + out);

    JsonNode foreign = post("/api/v1/jobs/training-set", body.formatted(second, left, out), 409);
    assertThat(foreign.get("type").asString()).isEqualTo("https://tessera.dev/problems/table-owned");
    assertThat(foreign.get("ownerJobId").asLong()).isEqualTo(made.get("id").asLong());
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + out)).isEqualTo(rows);

    JsonNode again = post("/api/v1/jobs/training-set", body.formatted(first, left, out), 202);
    assertThat(again.get("replaces").asString()).contains(out).contains("job " + made.get("id").asLong());
    awaitJob(again.get("id").asLong());
  }

  @Test
  void ingestMayNotAppendATopicToATableThatReadsAnother() {
    String victimTable = unique("ingest_victim");
    groupBy(victimTable, false);
    JsonNode refused = post("/api/v1/jobs/ingest", """
        {"topic": "some_other_topic", "table": "%s", "timeColumn": "ts",
         "schema": {"user_id": "STRING", "amount": "DOUBLE", "ts": "LONG"}}""".formatted(victimTable), 400);
    assertThat(messages(refused, "table")).anySatisfy(m -> assertThat(m).contains("is a source table of GroupBy"));
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + victimTable)).isEqualTo(3);
  }

  /** A live Join (on the registry topic) over {@code left} with one part, {@code groupBy}; returns its name. */
  private String join(String left, String groupBy) {
    return join(left, null, groupBy);
  }

  /** As {@link #join(String, String)}, its left landed from {@code leftTopic} (null: kept outside Tessera). */
  private String join(String left, String leftTopic, String groupBy) {
    String name = unique("hostile_join");
    JoinParseResult parsed = JoinReader.read("""
        name: %s
        left:
          table: %s%s
          timeColumn: t
          schema: {user_id: STRING, t: LONG}
        parts:
          - groupBy: %s
            keyMapping: {user_id: user_id}
        """.formatted(name, left, leftTopic == null ? "" : "\n  topic: " + leftTopic, groupBy));
    assertThat(parsed.problems()).isEmpty();
    publish(parsed.join(), 1);
    return name;
  }

  private static String trainingSet(String join, String outputTable) {
    return "{\"join\": \"%s\", \"outputTable\": \"%s\"}".formatted(join, outputTable);
  }

  /** A left table kept outside Tessera (no topic) gets no ingest; a landed one only its own topic's. */
  @Test
  void ingestMayAppendToAJoinsLeftTableOnlyFromTheLeftsTopic() {
    String g = groupBy(unique("left_ingest_events"), false);
    String kept = labels();
    String keptJoin = join(kept, g);
    String landed = labels();
    String landedJoin = join(landed, landed + "_topic", g);
    String ingest = """
        {"topic": "%s", "table": "%s", "timeColumn": "t", "schema": {"user_id": "STRING", "t": "LONG"}}""";

    JsonNode intoKept = post("/api/v1/jobs/ingest", ingest.formatted("any_topic", kept), 400);
    assertThat(messages(intoKept, "table")).anySatisfy(m -> assertThat(m)
        .contains(kept + " is the left table of Join " + keptJoin).contains("names no topic"));
    JsonNode fromOtherTopic = post("/api/v1/jobs/ingest", ingest.formatted("any_topic", landed), 400);
    assertThat(messages(fromOtherTopic, "table")).anySatisfy(m -> assertThat(m)
        .contains(landed + " is the left table of Join " + landedJoin).contains("landed from topic " + landed + "_topic"));
    for (String table : List.of(kept, landed)) {
      assertThat(Tables.query(warehouse, "SELECT user_id, t FROM " + table)).as("the left rows of %s are untouched", table)
          .containsExactly(Map.of("user_id", "u1", "t", T0 + 5000));
    }
  }

  @Test
  void noTrainingSetMayWriteALiveJoinsLeftTable() {
    String g = groupBy(unique("left_events"), false);
    String victimLeft = labels();
    String victim = join(victimLeft, g);
    String attacker = join(labels(), g);
    String expected = victimLeft + " is the left table of Join " + victim;

    JsonNode byGroupBy = post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "t", "outputTable": "%s"}""".formatted(g, labels(), victimLeft), 400);
    assertThat(messages(byGroupBy, "outputTable")).anySatisfy(m -> assertThat(m).contains(expected));
    JsonNode byJoin = post("/api/v1/jobs/training-set", trainingSet(attacker, victimLeft), 400);
    assertThat(messages(byJoin, "outputTable")).anySatisfy(m -> assertThat(m).contains(expected));
    assertThat(Tables.query(warehouse, "SELECT user_id, t FROM " + victimLeft)).as("the victim's left rows are untouched")
        .containsExactly(Map.of("user_id", "u1", "t", T0 + 5000));
  }

  @Test
  void aJoinTrainingSetMayNotReplaceAGroupBysSourceOrSnapshotTable() {
    String victimTable = unique("join_victim_events");
    groupBy(victimTable, false);
    String g = groupBy(unique("join_attacker_events"), false);
    String attacker = join(labels(), g);
    JsonNode source = post("/api/v1/jobs/training-set", trainingSet(attacker, victimTable), 400);
    assertThat(messages(source, "outputTable")).anySatisfy(m -> assertThat(m).contains("is a source table of GroupBy"));
    JsonNode snapshot = post("/api/v1/jobs/training-set", trainingSet(attacker, g + "_v1_daily"), 400);
    assertThat(messages(snapshot, "outputTable")).anySatisfy(m -> assertThat(m).contains("backfill snapshot"));
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + victimTable)).as("the victim table is untouched").isEqualTo(3);
  }

  /** The owner of a Join's training set is the Join (as a GroupBy's is the GroupBy): neither replaces the other's output. */
  @Test
  void joinTrainingSetsReplaceOnlyTheirOwnJoinsOutput() {
    String g = groupBy(unique("owned_events"), false);
    String left = labels();
    String first = join(left, g);
    String second = join(left, g);
    String joinOut = unique("join_training");
    JsonNode made = post("/api/v1/jobs/training-set", trainingSet(first, joinOut), 202);
    assertThat(made.has("replaces")).isFalse();
    awaitJob(made.get("id").asLong());
    List<Map<String, Object>> rows = Tables.query(warehouse, "SELECT * FROM " + joinOut);

    JsonNode otherJoin = post("/api/v1/jobs/training-set", trainingSet(second, joinOut), 409);
    assertThat(otherJoin.get("type").asString()).isEqualTo("https://tessera.dev/problems/table-owned");
    assertThat(otherJoin.get("ownerJobId").asLong()).isEqualTo(made.get("id").asLong());
    assertThat(otherJoin.get("detail").asString()).contains("training-set:join:" + first);
    JsonNode groupBy = post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "t", "outputTable": "%s"}""".formatted(g, left, joinOut), 409);
    assertThat(groupBy.get("ownerJobId").asLong()).isEqualTo(made.get("id").asLong());
    assertThat(Tables.query(warehouse, "SELECT * FROM " + joinOut)).as("the Join's output is untouched").isEqualTo(rows);

    String groupByOut = unique("groupby_training");
    long groupByJob = post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "t", "outputTable": "%s"}""".formatted(g, left, groupByOut), 202).get("id").asLong();
    awaitJob(groupByJob);
    long groupByRows = Tables.count(warehouse, "SELECT count(*) FROM " + groupByOut);
    JsonNode overGroupBy = post("/api/v1/jobs/training-set", trainingSet(first, groupByOut), 409);
    assertThat(overGroupBy.get("detail").asString()).contains("training-set:groupBy:" + g);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + groupByOut)).isEqualTo(groupByRows);

    JsonNode again = post("/api/v1/jobs/training-set", trainingSet(first, joinOut), 202);
    assertThat(again.get("replaces").asString()).contains(joinOut).contains("job " + made.get("id").asLong());
    awaitJob(again.get("id").asLong());
  }

  /** An upload as of 2099-01-01 made every later fetch fail and normal uploads answer 409 until a forced re-upload. */
  @Test
  void anUploadForADayThatHasNotEndedIsA400AndWritesNothing() {
    String g = groupBy(unique("future_events"), true);
    JsonNode refused = post("/api/v1/jobs/upload", "{\"groupBy\": \"" + g + "\", \"date\": \"2099-01-01\"}", 400);
    assertThat(messages(refused, "date")).singleElement().satisfies(m -> assertThat(m).contains("the last complete day"));
    try (var c = redis.getConnection()) {
      assertThat(c.stringCommands().get(RedisKeys.uploadKey(g, 1).getBytes(StandardCharsets.UTF_8))).as("no upload marker").isNull();
    }
  }

  @Test
  void answersCarryNoWarehousePathsOrClassNames() {
    String g = groupBy(unique("leak_events"), false);
    JsonNode missing = post("/api/v1/jobs/training-set", """
        {"groupBy": "%s", "leftTable": "no_such_table", "timeColumn": "t", "outputTable": "%s"}""".formatted(g, unique("out")), 400);
    assertThat(missing.toString()).doesNotContain(".duckdb").doesNotContain("/target/").contains("does not exist in the duckdb warehouse");
    JsonNode typed = post("/api/v1/jobs/backfill", "{\"groupBy\": [1, 2]}", 400);
    assertThat(typed.toString()).doesNotContain("dev.tessera").doesNotContain("java.");
  }

  @Test
  void duplicateFieldsAreA400() {
    JsonNode dup = post("/api/v1/jobs/backfill", "{\"groupBy\": \"a\", \"groupBy\": \"b\", \"startDate\": \"2024-01-01\", \"endDate\": \"2024-01-02\"}", 400);
    assertThat(dup.get("type").asString()).isEqualTo("https://tessera.dev/problems/malformed-request");
    assertThat(dup.get("detail").asString()).contains("Duplicate Object property \"groupBy\"");
  }

  @Test
  void aBodyOverTheLimitIsA413BeforeItIsRead() {
    String big = "{\"groupBy\": \"" + "x".repeat(1_100_000) + "\"}";
    http.post().uri("/api/v1/jobs/backfill").contentType(MediaType.APPLICATION_JSON).body(big).exchange()
        .expectStatus().isEqualTo(413)
        .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody().jsonPath("$.type").isEqualTo("https://tessera.dev/problems/payload-too-large");
  }
}
