package dev.tessera.stream.topology;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.stream.sink.TileWriterFactory;
import dev.tessera.support.LiveGroupBy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * The streaming pipeline of one GroupBy version, as a Kafka Streams topology (a pure function of
 * the definition and the settings):
 *
 * <pre>
 * source topic(s) --parse: acceptance rule (JSON, CEL wheres/selects, time, key)--+--> dead letters
 *                                                                                  |
 *     repartition by entity key ("events-by-entity") <-----------------------------+
 *     (partitioning=source: only records keyed otherwise, through "misrouted-by-entity")
 *         --> tiles: late check (watermark: the oldest source partition's stream time),
 *             tile IR update in a changelogged store,
 *             whole tiles flushed to Redis --> dead letters (late)
 * </pre>
 *
 * The repartition puts every event of an entity into one task, so one writer owns each tile, and
 * instances sharing the application id split the partitions without double counting. The parse
 * step sends its source partition's stream time along with each event, so the owning task can judge
 * lateness against the oldest partition (see {@link Watermark}) and not against whichever partition
 * the repartition topic happened to deliver first.
 */
public final class TileTopology {
  public static final String TILES = "tiles";
  public static final String INDEX = "tile-index";
  public static final String TIME = "stream-time";
  /** Before a repartition: the stream time of each source partition (EventParser). */
  public static final String SOURCE_TIME = "source-time";
  public static final String REPARTITION = "events-by-entity";
  /** With partitioning by source: the internal topic that takes a record keyed otherwise to its entity's partition. */
  public static final String REROUTE = "misrouted-by-entity";

  private TileTopology() {}

  public static Topology build(LiveGroupBy live, TopologySettings settings, TileWriterFactory writers, JobMetrics metrics) {
    return build(live, settings, writers, metrics, List.of());
  }

  /**
   * @param sourcePartitions with a repartition, the source partitions whose events are on their way
   *     (those with records when the job starts): until a tiling task has heard from each of them,
   *     its watermark does not move. Without them, a partition whose events the repartition topic
   *     delivers after another partition's hours of events would find its tiles closed.
   */
  public static Topology build(LiveGroupBy live, TopologySettings settings, TileWriterFactory writers, JobMetrics metrics,
      Collection<TopicPartition> sourcePartitions) {
    List<String> expected = sourcePartitions.stream().map(tp -> Watermark.origin(tp.topic(), tp.partition())).toList();
    CompiledGroupBy g = live.compiled();
    int version = live.version();
    StreamsBuilder builder = new StreamsBuilder();
    // Not cached: the record cache is a TreeMap of byte keys, and with many entities most updates
    // miss it anyway (measured: its key comparisons were the top cost). The processor keeps the
    // tiles changed since the last flush itself. Stream time (one key, updated by nearly every
    // event) is cached: it reaches the changelog once per commit.
    builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, TILES), Serdes.Bytes(), Serdes.ByteArray()).withCachingDisabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, INDEX), Serdes.Bytes(), TileIndex.SERDE).withCachingDisabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, TIME), Serdes.String(), Serdes.Long()).withCachingEnabled());
    boolean repartition = settings.partitioning() == TopologySettings.Partitioning.REPARTITION;
    if (repartition) {
      builder.addStateStore(Stores.keyValueStoreBuilder(store(settings, SOURCE_TIME), Serdes.String(), Serdes.Long()).withCachingEnabled());
    }

    KStream<byte[], Parsed> parsed = null;
    for (var topic : sourcesByTopic(g).entrySet()) {
      int[] sources = topic.getValue().stream().mapToInt(Integer::intValue).toArray();
      String[] stores = repartition ? new String[] {SOURCE_TIME} : new String[0];
      KStream<byte[], Parsed> s = builder
          .stream(topic.getKey(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("source-" + topic.getKey()))
          .process(() -> new EventParser(g, version, topic.getKey(), sources, !repartition, repartition, metrics),
              Named.as("parse-" + topic.getKey()), stores);
      parsed = parsed == null ? s : parsed.merge(s);
    }
    Produced<byte[], byte[]> deadLetters = Produced.with(Serdes.ByteArray(), Serdes.ByteArray());
    Map<String, KStream<byte[], Parsed>> branches = parsed.split(Named.as("route-"))
        .branch((k, v) -> v instanceof Parsed.Dead, Branched.withConsumer(dead -> dead
            .mapValues(v -> ((Parsed.Dead) v).letter().toJsonBytes(), Named.as("malformed-json"))
            .to(settings.deadLetterTopic(), deadLetters.withName("malformed-to-dead-letters")), "malformed"))
        .branch((k, v) -> v instanceof Parsed.Misrouted, Branched.as("misrouted"))
        .defaultBranch(Branched.as("events"));
    KStream<byte[], RoutedEvent> routed = branches.get("route-events").mapValues(v -> ((Parsed.Event) v).event(), Named.as("event"));
    if (repartition) {
      routed = routed.repartition(Repartitioned.with(Serdes.ByteArray(), RoutedEvent.serde()).withName(REPARTITION));
    } else {
      routed = routed.merge(rerouted(branches.get("route-misrouted"), g), Named.as("with-rerouted"));
    }
    routed.process(() -> new TileProcessor(g, version, settings, writers, metrics, expected), Named.as("tiles"), TILES, INDEX, TIME)
        .to(settings.deadLetterTopic(), deadLetters.withName("late-to-dead-letters"));
    return builder.build();
  }

  /**
   * With partitioning by source, the events whose record key is not their entity's: keyed by
   * {@link dev.tessera.agg.accept.Acceptance#recordKey} and sent through an internal topic with as many
   * partitions as the source topic and the same partitioner as a producer's, so each lands in the
   * partition (and task) where a well-keyed record of its entity is tiled, then keyed by entity again.
   * Whether an event counts never depends on its record key (DESIGN.md "Which events count").
   */
  private static KStream<byte[], RoutedEvent> rerouted(KStream<byte[], Parsed> misrouted, CompiledGroupBy g) {
    return misrouted.mapValues(v -> ((Parsed.Misrouted) v).event(), Named.as("misrouted-event"))
        .repartition(Repartitioned.with(Serdes.ByteArray(), RoutedEvent.serde()).withName(REROUTE))
        .selectKey((k, e) -> EntityKey.encode(g.keyOf(e.row())), Named.as("rerouted-by-entity"));
  }

  private static KeyValueBytesStoreSupplier store(TopologySettings settings, String name) {
    return switch (settings.stores()) {
      case ROCKSDB -> Stores.persistentKeyValueStore(name);
      case IN_MEMORY -> Stores.inMemoryKeyValueStore(name);
    };
  }

  /** Source indexes per topic: two sources may read one topic, a topic is subscribed once. */
  static Map<String, List<Integer>> sourcesByTopic(CompiledGroupBy g) {
    Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
    for (int i = 0; i < g.definition().sources().size(); i++) {
      String topic = ((EventSource) g.definition().sources().get(i)).topic();
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("GroupBy " + g.name() + " source " + i + " has no topic: it cannot stream");
      }
      byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(i);
    }
    return byTopic;
  }

  /** The topics a job for {@code g} reads. */
  public static List<String> sourceTopics(CompiledGroupBy g) {
    return List.copyOf(sourcesByTopic(g).keySet());
  }
}
