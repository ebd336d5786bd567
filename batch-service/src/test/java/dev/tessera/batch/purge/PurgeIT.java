package dev.tessera.batch.purge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.testing.BatchServiceIT;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import tools.jackson.databind.JsonNode;

/**
 * Purge against the real Redis: a replaced version's batch IRs, tile hashes and upload marker go,
 * the live version's keys and those of GroupBys and versions with similar names stay; the live and
 * the pending version are refused.
 */
class PurgeIT extends BatchServiceIT {
  /** More entities than one SCAN page / UNLINK batch, so that batching is exercised. */
  static final int ENTITIES = PurgeJobConfiguration.BATCH + 123;

  @Autowired
  RedisConnectionFactory redis;
  /** Every key a test wrote, deleted one by one afterwards (works on a cluster too: no SCAN). */
  final List<String> written = new ArrayList<>();

  @AfterEach
  void cleanRedis() {
    try (RedisConnection c = redis.getConnection()) {
      for (String key : written) c.keyCommands().del(bytes(key));
    }
  }

  @Test
  void purgesEveryKeyOfTheVersionAndNothingElse() {
    String name = unique("purge_g");
    String similar = name + "2";
    GroupBy g = groupBy(name);
    publish(groupBy(similar), 1);
    publish(g, 1);
    publish(g, 2);
    List<String> v1 = writeVersion(name, 1, ENTITIES);
    List<String> kept = new ArrayList<>();
    kept.addAll(writeVersion(name, 2, 5));
    kept.addAll(writeVersion(name, 11, 3));     // "1" must not match version 11
    kept.addAll(writeVersion(similar, 1, 5));   // nor GroupBy "<name>" match "<name>2"

    JsonNode view = runToCompletion("/api/v1/jobs/purge", "{\"groupBy\": \"" + name + "\", \"version\": 1}");
    assertThat(view.get("job").asString()).isEqualTo("purge");
    assertThat(view.get("groupBy").asString()).isEqualTo(name);
    assertThat(view.get("version").asLong()).isEqualTo(1);
    assertThat(view.get("result").get("keysDeleted").asLong()).isEqualTo(v1.size());
    assertThat(v1).allSatisfy(k -> assertThat(exists(k)).as(k).isFalse());
    assertThat(kept).allSatisfy(k -> assertThat(exists(k)).as(k).isTrue());

    // Deleting is idempotent: a second purge finds nothing left.
    JsonNode again = runToCompletion("/api/v1/jobs/purge", "{\"groupBy\": \"" + name + "\", \"version\": 1}");
    assertThat(again.get("result").get("keysDeleted").asLong()).isZero();
    assertThat(kept).allSatisfy(k -> assertThat(exists(k)).as(k).isTrue());

    JsonNode listed = JSON.readTree(http.get().uri("/api/v1/jobs?type=purge&limit=1000").exchange().expectStatus().isOk()
        .expectBody().returnResult().getResponseBody());
    List<Long> ids = new ArrayList<>();
    listed.forEach(j -> ids.add(j.get("id").asLong()));
    assertThat(ids).contains(view.get("id").asLong(), again.get("id").asLong());
  }

  /** A purge that dies half way (marker and one batch gone) restarts and deletes the rest: deleting is idempotent. */
  @Test
  void aCrashedPurgeRestartsAndFinishes() {
    String name = unique("purge_crash");
    publish(groupBy(name), 2);
    List<String> v1 = writeVersion(name, 1, ENTITIES);
    List<String> kept = writeVersion(name, 2, 3);
    AtomicInteger batches = new AtomicInteger();
    failures.arm(FailurePoints.PURGE_BATCH_UNLINKED, step -> batches.incrementAndGet() == 2);

    long id = start("/api/v1/jobs/purge", "{\"groupBy\": \"" + name + "\", \"version\": 1}");
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("FAILED");
    assertThat(exists(RedisKeys.uploadKey(name, 1))).isFalse();
    long left = v1.stream().filter(this::exists).count();
    assertThat(left).isPositive().isLessThan(v1.size() - 1);

    post("/api/v1/jobs/" + id + "/restart", "", 202);
    JsonNode view = awaitJob(id);
    assertThat(view.get("status").asString()).isEqualTo("COMPLETED");
    assertThat(view.get("attempts")).hasSize(2);
    assertThat(view.get("result").get("keysDeleted").asLong()).isEqualTo(left);
    assertThat(v1).allSatisfy(k -> assertThat(exists(k)).as(k).isFalse());
    assertThat(kept).allSatisfy(k -> assertThat(exists(k)).as(k).isTrue());
  }

  @Test
  void theLiveAndThePendingVersionAreRefused() {
    String name = unique("purge_live");
    GroupBy g = groupBy(name);
    publish(g, 2);
    List<String> live = writeVersion(name, 2, 3);

    JsonNode refused = post("/api/v1/jobs/purge", "{\"groupBy\": \"" + name + "\", \"version\": 2}", 409);
    assertThat(refused.get("type").asString()).isEqualTo("https://tessera.dev/problems/job-state");
    publishPending(g, 3);
    List<String> pending = writeVersion(name, 3, 3);
    assertThat(post("/api/v1/jobs/purge", "{\"groupBy\": \"" + name + "\", \"version\": 3}", 409).get("type").asString())
        .isEqualTo("https://tessera.dev/problems/job-state");
    assertThat(live).allSatisfy(k -> assertThat(exists(k)).as(k).isTrue());
    assertThat(pending).allSatisfy(k -> assertThat(exists(k)).as(k).isTrue());
  }

  @Test
  void requestsAreValidated() {
    String name = unique("purge_bad");
    publish(groupBy(name), 2);
    assertThat(field(post("/api/v1/jobs/purge", "{\"version\": 1}", 400))).isEqualTo("groupBy");
    assertThat(field(post("/api/v1/jobs/purge", "{\"groupBy\": \"" + name + "\"}", 400))).isEqualTo("version");
    assertThat(field(post("/api/v1/jobs/purge", "{\"groupBy\": \"" + name + "\", \"version\": 0}", 400))).isEqualTo("version");
    assertThat(post("/api/v1/jobs/purge", "{\"groupBy\": \"" + unique("purge_nobody") + "\", \"version\": 1}", 404).get("type").asString())
        .isEqualTo("https://tessera.dev/problems/unknown-groupby");
  }

  static String field(JsonNode problem) {
    return problem.get("errors").get(0).get("field").asString();
  }

  static GroupBy groupBy(String name) {
    return parse("""
        name: %s
        online: true
        keys: [user_id]
        sources:
          - events:
              table: %s
              topic: %s
              schema: {user_id: STRING, amount: DOUBLE, ts: LONG}
              query: {timeColumn: ts}
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h]}
        """.formatted(name, name + "_events", name + "_events"));
  }

  /** Writes what an upload and the stream side leave for a version: batch IRs, tile hashes, the upload marker. */
  List<String> writeVersion(String groupBy, int version, int entities) {
    List<String> keys = new ArrayList<>();
    try (RedisConnection c = redis.getConnection()) {
      for (int i = 0; i < entities; i++) {
        List<Object> entity = List.of("u" + i);
        String batch = RedisKeys.batchKey(groupBy, version, entity);
        c.stringCommands().set(bytes(batch), bytes("ir"));
        keys.add(batch);
        if (i % 2 == 0) {
          String tiles = RedisKeys.tilesKey(groupBy, version, entity);
          c.hashCommands().hSet(bytes(tiles), bytes(RedisKeys.tileField(0)), bytes("tile"));
          keys.add(tiles);
        }
      }
      String marker = RedisKeys.uploadKey(groupBy, version);
      c.stringCommands().set(bytes(marker), bytes("86400000"));
      keys.add(marker);
    }
    written.addAll(keys);
    return keys;
  }

  boolean exists(String key) {
    try (RedisConnection c = redis.getConnection()) {
      return Boolean.TRUE.equals(c.keyCommands().exists(bytes(key)));
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
