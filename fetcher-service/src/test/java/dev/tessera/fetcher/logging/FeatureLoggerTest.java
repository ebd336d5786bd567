package dev.tessera.fetcher.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Logging is sampled and never makes a fetch wait: a full queue drops and counts. */
class FeatureLoggerTest {
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void sampleRateDecidesWithTheRandomSource() {
    double[] next = {0.0};
    FeatureLogger half = new FeatureLogger(0.5, 10, new ListSink(), () -> next[0], meters);
    next[0] = 0.49;
    assertThat(half.sample()).isTrue();
    next[0] = 0.5;
    assertThat(half.sample()).isFalse();
    half.close();
    FeatureLogger off = new FeatureLogger(0, 10, new ListSink(), () -> 0.0, meters);
    assertThat(off.sample()).isFalse();
    assertThat(off.enabled()).isFalse();
    off.close();
  }

  @Test
  void recordsReachTheSinkAndAreCountedAsSent() {
    ListSink sink = new ListSink();
    FeatureLogger logger = new FeatureLogger(1, 10, sink, () -> 0.0, meters);
    logger.offer(record("r1"));
    logger.offer(record("r2"));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.records.size() == 2);
    assertThat(sink.records).extracting(FeatureLogEntry::requestId).containsExactly("r1", "r2");
    assertThat(meters.get("tessera.feature_log.sent").counter().count()).isEqualTo(2);
    logger.close();
  }

  @Test
  void aBlockedSinkFillsTheQueueAndFurtherRecordsAreDroppedWithoutWaiting() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    FeatureLogSink blocked = new FeatureLogSink() {
      @Override
      public void send(FeatureLogEntry record, Callback callback) {
        calls.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        callback.failed(new IllegalStateException("broker down"));
      }

      @Override
      public void close() {}
    };
    FeatureLogger logger = new FeatureLogger(1, 3, blocked, () -> 0.0, meters);
    logger.offer(record("taken-by-the-sender"));
    await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() == 1);
    for (int i = 0; i < 10; i++) logger.offer(record("r" + i)); // 3 fit, 7 are dropped at once
    assertThat(meters.get("tessera.feature_log.dropped").tag("reason", "queue_full").counter().count()).isEqualTo(7);
    assertThat(meters.get("tessera.feature_log.queue").gauge().value()).isEqualTo(3);
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() ->
        meters.get("tessera.feature_log.dropped").tag("reason", "send_failed").counter().count() == 4);
    logger.close();
  }

  @Test
  void theJsonFormIsTheDocumentedOne() {
    FeatureLogRecord r = new FeatureLogRecord("fraud", 3, Map.of("user_id", "u1"), 1000L, Map.of("amount_sum_1h", 2.0),
        900L, null, false, 1005L, "req-1");
    assertThat(JsonMapper.builder().build().writeValueAsString(r.toJsonTree())).isEqualTo(
        "{\"kind\":\"groupby\",\"groupBy\":\"fraud\",\"version\":3,\"keys\":{\"user_id\":\"u1\"},\"asOf\":1000,\"features\":{\"amount_sum_1h\":2.0},"
            + "\"meta\":{\"version\":3,\"batchEnd\":900,\"latestTileEnd\":null,\"asOf\":1000,\"stale\":false},"
            + "\"loggedAt\":1005,\"requestId\":\"req-1\"}");
  }

  @Test
  void aJoinRowsJsonFormIsTheDocumentedOneKeyedByItsTopicKey() {
    Map<String, Object> meta = new java.util.LinkedHashMap<>();
    meta.put("joinVersion", 2);
    meta.put("asOf", 1000L);
    JoinLogRecord r = new JoinLogRecord("fraud_model", 2, Map.of("buyer", "u1"), 1000L, "Success", Map.of("amount_now", 2.5), meta, 1005L,
        "req-2");
    assertThat(r.topicKey()).isEqualTo("join:fraud_model");
    assertThat(JsonMapper.builder().build().writeValueAsString(r.toJsonTree())).isEqualTo(
        "{\"kind\":\"join\",\"join\":\"fraud_model\",\"version\":2,\"keys\":{\"buyer\":\"u1\"},\"asOf\":1000,\"status\":\"Success\","
            + "\"features\":{\"amount_now\":2.5},\"meta\":{\"joinVersion\":2,\"asOf\":1000},\"loggedAt\":1005,\"requestId\":\"req-2\"}");
  }

  static FeatureLogRecord record(String requestId) {
    return new FeatureLogRecord("g", 1, Map.of("k", "v"), 1L, Map.of(), null, null, false, 2L, requestId);
  }

  static final class ListSink implements FeatureLogSink {
    final List<FeatureLogEntry> records = new CopyOnWriteArrayList<>();

    @Override
    public void send(FeatureLogEntry record, Callback callback) {
      records.add(record);
      callback.sent();
    }

    @Override
    public void close() {}
  }
}
