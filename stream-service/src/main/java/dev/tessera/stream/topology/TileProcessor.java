package dev.tessera.stream.topology;

import dev.tessera.agg.codec.IrCodec;
import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.StreamingConfig;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.tile.TileSelection;
import dev.tessera.agg.window.Windows;
import dev.tessera.stream.deadletter.DeadLetter;
import dev.tessera.stream.deadletter.DeadLetterKind;
import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.stream.sink.EntityTiles;
import dev.tessera.stream.sink.TileWriteException;
import dev.tessera.stream.sink.TileWriter;
import dev.tessera.stream.sink.TileWriterFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entity side of a job: applies each event to its tile IR in a changelogged store and writes
 * changed tiles whole to Redis (DESIGN.md "Storage layout": overwritten, never incremented).
 *
 * <p>Why a replay cannot double-count: the store, the stream time and the input offsets commit
 * together (exactly-once); Redis gets whole tiles computed from the store, so writing a tile again
 * after a crash writes the bytes the uncrashed run would have written. A tile changed in a committed
 * transaction but not yet flushed when the process died is flushed on restart: every tile still
 * in the store is marked dirty when the task starts.
 *
 * <p>Lateness and closed tiles are judged against the {@link Watermark}: with a repartition, the
 * oldest of the source partitions' stream times that came with the events (the newest event time
 * of one partition can be far ahead of events of another one still in the repartition topic); with
 * partitioning by source, the newest event time of the task, as before.
 *
 * <p>Why a replay decides lateness the same way: the watermark and the times it is made of are kept
 * in the store, and one task reads one partition of the repartition topic, in order.
 *
 * <p>Hour rollups (5-minute tiles only, DESIGN.md "Storage layout in Redis"): each event also
 * updates the IR of its entity's hour, kept in the store beside the tiles ({@link TileKey#rollup})
 * until the hour's last tile is closed, and a flush writes changed rollups in the same command as
 * the tiles, so a reader sees both change together. (Merging the hour's tiles at each flush instead
 * halved the stream's throughput: a dozen store reads per changed tile.) The {@code r} field tells
 * readers from which hour on this task's rollups are complete: a task that starts on a store
 * written before rollups existed has seen events of earlier hours that no rollup holds.
 */
final class TileProcessor implements Processor<byte[], RoutedEvent, byte[], byte[]> {
  private static final Logger log = LoggerFactory.getLogger(TileProcessor.class);
  /** With partitioning by source, the task is the one origin of its watermark. */
  private static final String TASK_ORIGIN = Watermark.ORIGIN + "task";
  /** At most this many fields are deleted from one hash in one flush; older leftovers expire. */
  static final int MAX_TRIM_FIELDS = 10_000;

  private final CompiledGroupBy groupBy;
  private final int version;
  private final List<String> sourceTopics;
  private final TopologySettings settings;
  private final TileRetention retention;
  private final TileWriterFactory writers;
  private final JobMetrics metrics;
  private final StreamingConfig streaming;
  private final RowAggregator agg;
  private final IrCodec codec;
  private final long tileSize;
  private final long ttlSeconds;
  private final boolean repartitioned;
  private final List<String> expectedOrigins;

  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<Bytes, byte[]> tiles;
  private KeyValueStore<Bytes, TileIndex> index;
  private KeyValueStore<String, Long> time;
  private Watermark watermark;
  private TileWriter writer;
  /** Tiles changed since the last successful flush, with their current bytes (what Redis gets). */
  private final Map<Bytes, byte[]> dirty = new HashMap<>();
  private final Map<Long, String> origins = new HashMap<>();
  private long newestApplied = Long.MIN_VALUE;
  private Long uploadEnd;
  private long uploadCheckedAt = Long.MIN_VALUE / 2;
  private long sweptAt;
  private long lastFailureLog = Long.MIN_VALUE;
  /** Every tile before this start has left the store, except dirty ones if {@link #keptClosed}. */
  private long closedBelow = Long.MIN_VALUE;
  private boolean keptClosed;
  private static final byte[] NO_ENTITY = new byte[0];
  /** Store key (time store) of {@link #rollupsFrom}; not an origin, so the watermark ignores it. */
  static final String ROLLUPS_FROM = "rollups-from";
  private final boolean rollsUp;
  /** Rollups of hours at or after this are complete (fixed when the task first starts). */
  private long rollupsFrom = Long.MIN_VALUE;

  /** @param expectedOrigins with a repartition, the origins the watermark waits for until heard from */
  TileProcessor(CompiledGroupBy groupBy, int version, TopologySettings settings, TileWriterFactory writers, JobMetrics metrics,
      List<String> expectedOrigins) {
    this.groupBy = groupBy;
    this.version = version;
    this.sourceTopics = groupBy.definition().sources().stream().map(s -> ((dev.tessera.agg.definition.EventSource) s).topic()).toList();
    this.settings = settings;
    this.retention = TileRetention.of(groupBy, settings.retention(), settings.maxRetention(), settings.expireMargin());
    this.writers = writers;
    this.metrics = metrics;
    this.streaming = groupBy.definition().streaming();
    this.agg = groupBy.aggregator();
    this.codec = new IrCodec(groupBy);
    this.tileSize = groupBy.tileSize();
    this.ttlSeconds = Math.max(1, retention.ttl().toSeconds());
    this.repartitioned = settings.partitioning() == TopologySettings.Partitioning.REPARTITION;
    this.expectedOrigins = expectedOrigins;
    this.rollsUp = TileSelection.rollsUp(tileSize);
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.tiles = context.getStateStore(TileTopology.TILES);
    this.index = context.getStateStore(TileTopology.INDEX);
    this.time = context.getStateStore(TileTopology.TIME);
    watermark = new Watermark(settings.maxRetention().toMillis(), time::put);
    boolean[] anyTime = {false};
    try (KeyValueIterator<String, Long> all = time.all()) {
      all.forEachRemaining(kv -> {
        anyTime[0] = true;
        if (kv.key.equals(ROLLUPS_FROM)) rollupsFrom = kv.value;
        else watermark.restore(kv.key, kv.value);
      });
    }
    if (rollsUp && time.get(ROLLUPS_FROM) == null) {
      // A new task has every tile it will ever make in its store until the tile's hour closes. A
      // store from before rollups may have lost the tiles of closed hours, so only hours that start
      // after the newest event time it saw can be rolled up whole.
      rollupsFrom = anyTime[0] ? Windows.floor(watermark.newest(), TileSelection.ROLLUP) + TileSelection.ROLLUP : Long.MIN_VALUE;
      time.put(ROLLUPS_FROM, rollupsFrom);
    }
    if (repartitioned) expectedOrigins.forEach(watermark::expect);
    // The store is restored by now: whatever it holds may not have reached Redis before a crash.
    try (KeyValueIterator<Bytes, byte[]> all = tiles.all()) {
      all.forEachRemaining(kv -> dirty.put(kv.key, kv.value));
    }
    writer = writers.open(groupBy.name(), version);
    sweptAt = context.currentSystemTimeMs();
    context.schedule(settings.flushInterval(), PunctuationType.WALL_CLOCK_TIME, this::flush);
  }

  @Override
  public void process(Record<byte[], RoutedEvent> record) {
    RoutedEvent event = record.value();
    if (event == null) return;
    Row row = event.row();
    long ts = row.ts();
    // The time that came with the event includes the event itself, so advancing first decides as
    // "stream time before the event > deadline" did.
    long now = repartitioned
        ? watermark.advance(origin(event), event.originTime())
        : watermark.advance(TASK_ORIGIN, ts);
    if (streaming.isLate(ts, now, tileSize)) {
      late(record, event, now);
      return;
    }
    Bytes key = TileKey.of(Windows.floor(ts, tileSize), record.key());
    byte[] current = dirty.get(key);
    if (current == null) current = tiles.get(key);
    RowIr ir = current == null ? agg.newIr() : codec.decodeTile(current);
    agg.update(ir, row);
    byte[] updated = codec.encodeTile(ir);
    tiles.put(key, updated);
    dirty.put(key, updated);
    if (rollsUp) rollUp(record.key(), Windows.floor(ts, tileSize), row);
    if (ts > newestApplied) newestApplied = ts;
    metrics.applied();
  }

  /** Applies the event to the rollup of its entity's hour. */
  private void rollUp(byte[] entity, long tileStart, Row row) {
    Bytes key = TileKey.rollup(Windows.floor(tileStart, TileSelection.ROLLUP), entity);
    byte[] current = dirty.get(key);
    if (current == null) current = tiles.get(key);
    IrCodec.Rollup rollup = current == null ? null : codec.decodeRollup(current);
    RowIr ir = rollup == null ? agg.newIr() : rollup.ir();
    agg.update(ir, row);
    byte[] updated = codec.encodeRollup(ir, rollup == null ? tileStart : Math.max(rollup.newestTileStart(), tileStart));
    tiles.put(key, updated);
    dirty.put(key, updated);
  }

  /** The origin name of the event's source partition (cached: it is asked for every event). */
  private String origin(RoutedEvent event) {
    long id = ((long) event.sourceIndex() << 32) | (event.partition() & 0xFFFFFFFFL);
    return origins.computeIfAbsent(id, i -> Watermark.origin(sourceTopics.get(event.sourceIndex()), event.partition()));
  }

  private void late(Record<byte[], RoutedEvent> record, RoutedEvent event, long now) {
    long ts = event.row().ts();
    long tileEnd = Windows.floor(ts, tileSize) + tileSize;
    String entity = RedisKeys.encodeEntity(EntityKey.decode(record.key()));
    String reason = "late: event time " + Instant.ofEpochMilli(ts) + " is in the tile ending " + Instant.ofEpochMilli(tileEnd)
        + ", and the watermark " + Instant.ofEpochMilli(now) + (repartitioned ? " (the oldest source partition's stream time)" : "")
        + " is past that end + allowedLateness " + streaming.allowedLateness();
    DeadLetter letter = new DeadLetter(DeadLetterKind.LATE, reason, groupBy.name(), version,
        sourceTopics.get(event.sourceIndex()), event.partition(), event.offset(), entity,
        DeadLetter.text(event.raw()), ts, now);
    metrics.deadLettered(DeadLetterKind.LATE);
    context.forward(new Record<>(entity.getBytes(StandardCharsets.UTF_8), letter.toJsonBytes(), record.timestamp()));
  }

  /** Writes the dirty tiles, trims what no fetch can need, then forgets closed tiles. */
  void flush(long wallClock) {
    if (!dirty.isEmpty()) {
      long started = System.nanoTime();
      try {
        long keepFrom = retention.keepFrom(watermark.newest(), uploadEnd(wallClock));
        Plan plan = plan(keepFrom);
        long trimmed = writer.write(plan.changes);
        plan.index.forEach((entity, entry) -> {
          if (entry == null) index.delete(entity);
          else index.put(entity, entry);
        });
        dirty.clear();
        metrics.flushed(plan.tiles, trimmed, System.nanoTime() - started, newestApplied);
      } catch (TileWriteException e) {
        metrics.writeFailed();
        if (wallClock - lastFailureLog > 10_000) {
          lastFailureLog = wallClock;
          log.warn("{} v{}: could not write {} dirty tiles to Redis, retrying at the next flush: {}", groupBy.name(),
              version, dirty.size(), e.getMessage());
        }
      }
    }
    dropClosedTiles();
    if (wallClock - sweptAt >= settings.sweepInterval().toMillis()) {
      sweptAt = wallClock;
      sweep();
    }
  }

  private Long uploadEnd(long wallClock) {
    if (wallClock - uploadCheckedAt >= settings.uploadCheckInterval().toMillis()) {
      uploadEnd = writer.uploadEnd();
      uploadCheckedAt = wallClock;
    }
    return uploadEnd;
  }

  /** What one flush sends to Redis and how the per-entity index changes with it. */
  private record Plan(List<EntityTiles> changes, Map<Bytes, TileIndex> index, int tiles) {}

  private Plan plan(long keepFrom) {
    Map<Bytes, List<Map.Entry<Long, byte[]>>> byEntity = new HashMap<>();
    for (var d : dirty.entrySet()) {
      byEntity.computeIfAbsent(Bytes.wrap(TileKey.entity(d.getKey())), e -> new ArrayList<>(2))
          .add(Map.entry(TileKey.tileStart(d.getKey()), d.getValue()));
    }
    List<EntityTiles> changes = new ArrayList<>(byEntity.size());
    Map<Bytes, TileIndex> indexChanges = new HashMap<>();
    int written = 0;
    for (var e : byEntity.entrySet()) {
      Bytes entity = e.getKey();
      TileIndex before = index.get(entity);
      Map<String, byte[]> set = new HashMap<>();
      long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
      boolean rollups = false;
      int tilesSet = 0;
      for (var tile : e.getValue()) {
        long start = tile.getKey();
        if (TileKey.isRollup(start)) {
          long hour = start - 1;
          if (hour + TileSelection.ROLLUP <= keepFrom) continue;
          set.put(RedisKeys.rollupField(hour), tile.getValue());
          rollups = true;
          continue;
        }
        if (start < keepFrom) continue;
        set.put(RedisKeys.tileField(start), tile.getValue());
        tilesSet++;
        lo = Math.min(lo, start);
        hi = Math.max(hi, start);
      }
      if (rollups) set.put(RedisKeys.ROLLUPS_FROM_FIELD, Long.toString(rollupsFrom).getBytes(StandardCharsets.US_ASCII));
      List<String> delete = new ArrayList<>();
      TileIndex after = before;
      if (before != null && before.low() < keepFrom) {
        long end = Math.min(keepFrom, before.high() + tileSize);
        long from = Math.max(before.low(), end - MAX_TRIM_FIELDS * tileSize);
        trimFields(from, end, delete);
        after = before.high() < keepFrom ? null : new TileIndex(keepFrom, before.high());
      }
      if (tilesSet > 0) {
        after = after == null ? new TileIndex(lo, hi) : new TileIndex(Math.min(after.low(), lo), Math.max(after.high(), hi));
      }
      if (set.isEmpty() && delete.isEmpty()) continue;
      String tilesKey = RedisKeys.tilesKey(groupBy.name(), version, EntityKey.decode(entity.get()));
      // The expiry moves with the entity's newest tile: set when a tile newer than any before is
      // written (an idle hash then lives ttl past its newest tile), not on every rewrite.
      boolean newest = tilesSet > 0 && (before == null || hi > before.high());
      changes.add(new EntityTiles(tilesKey, set, delete, newest ? ttlSeconds : 0));
      if (!java.util.Objects.equals(before, after)) indexChanges.put(entity, after);
      written += tilesSet;
    }
    return new Plan(changes, indexChanges, written);
  }

  /** The fields of the tiles in {@code [from, end)} and of the rollups of the whole hours among them. */
  private void trimFields(long from, long end, List<String> fields) {
    for (long s = from; s < end; s += tileSize) fields.add(RedisKeys.tileField(s));
    if (!rollsUp) return;
    for (long h = Windows.floor(from, TileSelection.ROLLUP); h + TileSelection.ROLLUP <= end; h += TileSelection.ROLLUP) {
      fields.add(RedisKeys.rollupField(h));
    }
  }

  /**
   * Drops tiles no event can reach any more (StreamingConfig.isClosed at the watermark, which never
   * moves back), once they are in Redis. Reads only the closed key range (tile start comes first in
   * the key), and only when the watermark closed another tile or an unwritten closed tile is waiting.
   */
  private void dropClosedTiles() {
    long wm = watermark.watermark();
    if (wm == Long.MIN_VALUE) return;
    long openFrom = wm - tileSize - streaming.allowedLateness().toMillis(); // isClosed(s) <=> s < openFrom
    if (openFrom <= closedBelow && !keptClosed) return;
    List<Bytes> closed = new ArrayList<>();
    boolean kept = false;
    try (KeyValueIterator<Bytes, byte[]> it = tiles.range(TileKey.of(Long.MIN_VALUE, NO_ENTITY), TileKey.of(openFrom, NO_ENTITY))) {
      while (it.hasNext()) {
        Bytes key = it.next().key;
        long start = TileKey.tileStart(key);
        if (TileKey.isRollup(start)) {
          // a rollup stays while its hour's last tile is open: a late event may still change it
          if (start - 1 + TileSelection.ROLLUP - tileSize >= openFrom) continue;
        } else if (start >= openFrom) {
          break;
        }
        if (dirty.containsKey(key)) kept = true;
        else closed.add(key);
      }
    }
    closed.forEach(tiles::delete);
    closedBelow = openFrom;
    keptClosed = kept;
  }

  /**
   * Forgets entities all of whose tiles in Redis are past retention, deleting their hashes: they
   * were not written for so long that no flush trimmed them.
   */
  private void sweep() {
    long keepFrom;
    try {
      keepFrom = retention.keepFrom(watermark.newest(), uploadEnd(context.currentSystemTimeMs()));
    } catch (TileWriteException e) {
      return;
    }
    List<Bytes> stale = new ArrayList<>();
    List<EntityTiles> deletes = new ArrayList<>();
    try (KeyValueIterator<Bytes, TileIndex> it = index.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, TileIndex> kv = it.next();
        if (kv.value.high() >= keepFrom) continue;
        stale.add(kv.key);
        List<String> fields = new ArrayList<>();
        long from = Math.max(kv.value.low(), kv.value.high() + tileSize - MAX_TRIM_FIELDS * tileSize);
        trimFields(from, kv.value.high() + tileSize, fields);
        if (rollsUp) {
          // the hour of the newest tile is whole too: nothing of this entity is kept
          fields.add(RedisKeys.rollupField(Windows.floor(kv.value.high(), TileSelection.ROLLUP)));
          fields.add(RedisKeys.ROLLUPS_FROM_FIELD);
        }
        deletes.add(new EntityTiles(RedisKeys.tilesKey(groupBy.name(), version, EntityKey.decode(kv.key.get())), Map.of(),
            fields, ttlSeconds));
      }
    }
    if (stale.isEmpty()) return;
    try {
      long removed = writer.write(deletes);
      stale.forEach(index::delete);
      metrics.trimmed(removed);
    } catch (TileWriteException e) {
      metrics.writeFailed();
    }
  }

  @Override
  public void close() {
    // No flush here: a task closes after its last commit; the next owner re-flushes everything.
    if (writer != null) writer.close();
  }
}
