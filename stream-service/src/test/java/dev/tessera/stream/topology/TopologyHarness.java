package dev.tessera.stream.topology;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.support.LiveGroupBy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiling topology in a {@link TopologyTestDriver}: no broker, no Redis, time under control. */
final class TopologyHarness implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  final LiveGroupBy live;
  final CompiledGroupBy g;
  final RecordingTileWriter redis = new RecordingTileWriter();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final JobMetrics metrics;
  final TopologySettings settings;
  final TopologyTestDriver driver;
  final String applicationId = "tessera-stream-test-" + UUID.randomUUID();
  private final Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();
  private final TestOutputTopic<byte[], byte[]> deadLetters;

  TopologyHarness(GroupBy definition, TopologySettings settings) {
    this(new LiveGroupBy(new PublishedGroupBy(definition.name(), 1, definition, Instant.EPOCH, "test"),
        GroupByCompiler.compile(definition).orThrow()), settings);
  }

  TopologyHarness(LiveGroupBy live, TopologySettings settings) {
    this(live, settings, List.of());
  }

  /** @param sourcePartitions what the job launcher would pass: the source partitions with records */
  TopologyHarness(GroupBy definition, TopologySettings settings, List<org.apache.kafka.common.TopicPartition> sourcePartitions) {
    this(new LiveGroupBy(new PublishedGroupBy(definition.name(), 1, definition, Instant.EPOCH, "test"),
        GroupByCompiler.compile(definition).orThrow()), settings, sourcePartitions);
  }

  TopologyHarness(LiveGroupBy live, TopologySettings settings, List<org.apache.kafka.common.TopicPartition> sourcePartitions) {
    this.live = live;
    this.g = live.compiled();
    this.settings = settings;
    this.metrics = new JobMetrics(registry, Clock.systemUTC(), g.name(), live.version());
    var props = JobStreamsConfig.of(Map.of("bootstrap.servers", "unused:9092"), applicationId,
        Path.of("target", "topology-tests", UUID.randomUUID().toString()), 1, Duration.ofMillis(100), 10 * 1024 * 1024,
        new SkipAndDeadLetter.Job(g.name(), live.version(), settings.deadLetterTopic(), metrics));
    driver = new TopologyTestDriver(TileTopology.build(live, settings, redis, metrics, sourcePartitions), props, Instant.parse("2026-01-01T00:00:00Z"));
    for (String topic : TileTopology.sourceTopics(g)) {
      inputs.put(topic, driver.createInputTopic(topic, new StringSerializer(), new StringSerializer()));
    }
    deadLetters = driver.createOutputTopic(settings.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static TopologySettings settings() {
    // In-memory stores: the test driver commits (and would flush RocksDB) after every record.
    return TopologySettings.defaults("tessera.deadletter.test").withRetention(Duration.ofDays(60), Duration.ofDays(90))
        .withStores(TopologySettings.StoreKind.IN_MEMORY);
  }

  /** Pipes an event as its JSON text, with the record timestamp {@code recordTs}. */
  void send(String topic, String key, String json, long recordTs) {
    inputs.get(topic).pipeInput(key, json, recordTs);
  }

  void send(String key, Map<String, Object> event) {
    long ts = event.get("ts") instanceof Number n ? n.longValue() : 0;
    send(TileTopology.sourceTopics(g).getFirst(), key, JSON.writeValueAsString(event), Math.max(ts, 1));
  }

  /**
   * The repartition topic as the tiling task reads it, to pipe routed events of any source
   * partition (the driver gives every topic one partition).
   */
  TestInputTopic<byte[], RoutedEvent> repartition() {
    return driver.createInputTopic(applicationId + "-" + TileTopology.REPARTITION + "-repartition", new ByteArraySerializer(),
        RoutedEvent.serde().serializer());
  }

  /** Fires the flush punctuation once. */
  void flush() {
    driver.advanceWallClockTime(settings.flushInterval());
  }

  List<JsonNode> deadLetters() {
    List<JsonNode> out = new ArrayList<>();
    for (var r : deadLetters.readRecordsToList()) out.add(JSON.readTree(new String(r.value(), StandardCharsets.UTF_8)));
    return out;
  }

  KeyValueStore<Bytes, byte[]> tileStore() {
    return driver.getKeyValueStore(TileTopology.TILES);
  }

  /** Tiles in the task's store (hour rollups not counted). */
  long storeSize() {
    return storeCount(false);
  }

  /** Hour rollups in the task's store. */
  long storeRollups() {
    return storeCount(true);
  }

  private long storeCount(boolean rollups) {
    long n = 0;
    try (var it = tileStore().all()) {
      while (it.hasNext()) {
        if (TileKey.isRollup(TileKey.tileStart(it.next().key)) == rollups) n++;
      }
    }
    return n;
  }

  double count(String meter, String... tags) {
    return registry.get(JobMetrics.PREFIX + meter).tags(tags).counter().count();
  }

  @Override
  public void close() {
    driver.close();
  }
}
