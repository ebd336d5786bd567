package dev.tessera.fetcher.store;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.tile.TileSelection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import redis.clients.jedis.BuilderFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.Rawable;
import redis.clients.jedis.args.RawableFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Reads everything a request needs (DESIGN.md "Storage layout in Redis"): per GroupBy version its
 * upload marker and, per entity, {@code GET} of its batch IR and {@code HGETALL} of its tiles (or
 * {@code HLEN} and {@code HMGET} of the tiles and rollups a {@link dev.tessera.agg.tile.TileSelection}
 * picks; entities whose selection cannot be trusted are read whole in a second round trip), in one
 * Jedis pipeline per shard on a connection of that shard's pool ({@link RedisShards}); the shards'
 * pipelines are answered in parallel, each parsed by the thread that waits for it, as the requesting
 * thread parsed the replies of the hand-written client this replaced (fetcher-service/README.md
 * "Benchmark": Jedis answered about twice as many fetches as Lettuce in the same run).
 *
 * <p>Deadlines: the connections of a read are lent to the {@link DeadlineWatchdog}, which closes them
 * once the read's deadline passes, so no socket read outlives it. A read that meets a redirection
 * (MOVED/ASK: a slot moved, a replica took over) or a connection that failed (a node died, Redis
 * restarted) has the slot map and the idle connections renewed and is tried once more within the
 * same deadline (reads are idempotent).
 */
final class JedisReader implements StoreReader {
  private final RedisShards shards;
  private final DeadlineWatchdog watchdog;
  private final StoreReplies replies;
  /**
   * Per GroupBy, the {@code HMGET} fields of the selection its last read used. A selection lasts a
   * tile period (PartPlan's {@code SelectionCache}), so its fields are made once, not per fetch, as
   * ready-made Jedis arguments: given byte arrays, Jedis copies each one per command.
   */
  private final Map<String, SelectedFields> selectedFields = new ConcurrentHashMap<>();

  private record SelectedFields(TileSelection selection, Rawable[] fields) {}

  JedisReader(RedisShards shards, DeadlineWatchdog watchdog) {
    this(shards, watchdog, HashLimits.DEFAULTS);
  }

  JedisReader(RedisShards shards, DeadlineWatchdog watchdog, HashLimits limits) {
    this.shards = shards;
    this.watchdog = watchdog;
    this.replies = new StoreReplies(limits);
  }

  @Override
  public String where() {
    return shards.where();
  }

  @Override
  public List<StoreRead> read(List<StoreRequest> requests, long deadlineNanos) throws Exception {
    List<StoreRead> reads = readOnce(requests, deadlineNanos);
    return StoreReplies.readWholeWhereIncomplete(requests, reads, again -> readOnce(again, deadlineNanos));
  }

  private List<StoreRead> readOnce(List<StoreRequest> requests, long deadlineNanos) throws Exception {
    try {
      return attempt(requests, deadlineNanos);
    } catch (JedisRedirectionException | JedisConnectionException e) {
      if (System.nanoTime() - deadlineNanos >= 0) throw timedOut(e);
      shards.renew();
      try {
        return attempt(requests, deadlineNanos);
      } catch (JedisConnectionException again) {
        if (System.nanoTime() - deadlineNanos >= 0) throw timedOut(again);
        throw new IOException(again.getMessage(), again);
      }
    }
  }

  private TimeoutException timedOut(Exception e) {
    TimeoutException t = new TimeoutException("no reply from Redis at " + where() + " by the deadline");
    t.initCause(e);
    return t;
  }

  /** One pipeline per shard, the commands of each in request order. */
  private static final class ShardPipeline {
    final Connection connection;
    final Pipeline pipeline;
    RuntimeException failure;

    ShardPipeline(Connection connection) {
      this.connection = connection;
      this.pipeline = new Pipeline(connection, false);
    }

    void sync() {
      try {
        pipeline.sync();
      } catch (RuntimeException e) {
        failure = e;
      }
    }
  }

  private List<StoreRead> attempt(List<StoreRequest> requests, long deadlineNanos) throws Exception {
    Map<HostAndPort, ShardPipeline> pipelines = new LinkedHashMap<>();
    int commands = 0;
    for (StoreRequest r : requests) commands += 1 + 3 * r.keys().size();
    List<Response<?>> sent = new ArrayList<>(commands);
    try {
      for (StoreRequest r : requests) {
        byte[] marker = bytes(RedisKeys.uploadKey(r.groupBy(), r.version()));
        sent.add(shard(pipelines, marker, deadlineNanos).get(marker));
        Rawable[] fields = r.selection() == null ? null : fields(r);
        for (List<Object> key : r.keys()) {
          // an entity's keys share a hash tag: one slot, one shard
          byte[] batchKey = bytes(RedisKeys.batchKey(r.groupBy(), r.version(), key));
          Pipeline p = shard(pipelines, batchKey, deadlineNanos);
          sent.add(p.get(batchKey));
          byte[] tilesKey = bytes(RedisKeys.tilesKey(r.groupBy(), r.version(), key));
          if (fields == null) {
            sent.add(p.hgetAll(tilesKey));
          } else {
            sent.add(p.hlen(tilesKey));
            sent.add(p.appendCommand(new CommandObject<>(new CommandArguments(Protocol.Command.HMGET).key(tilesKey).addObjects((Object[]) fields),
                BuilderFactory.BINARY_LIST)));
          }
        }
      }
      syncAll(new ArrayList<>(pipelines.values()));
    } finally {
      for (ShardPipeline s : pipelines.values()) {
        watchdog.giveBack(s.connection);
        try {
          s.connection.close(); // back to its pool, or destroyed when broken
        } catch (RuntimeException e) {
          // a connection the watchdog closed may fail to leave its pool tidily; it is gone either way, and the read's own outcome counts
        }
      }
    }
    int[] at = {0};
    return replies.collect(requests, new StoreReplies.Source() {
      @Override
      public byte[] bulk() {
        return (byte[]) reply(sent.get(at[0]++));
      }

      @Override
      public long integer() {
        return (Long) reply(sent.get(at[0]++));
      }

      @Override
      @SuppressWarnings("unchecked")
      public List<byte[]> values() {
        return (List<byte[]>) reply(sent.get(at[0]++));
      }

      @Override
      @SuppressWarnings("unchecked")
      public TileOutput tiles(String groupBy) {
        Map<byte[], byte[]> hash = (Map<byte[], byte[]>) reply(sent.get(at[0]++));
        TileOutput tiles = replies.output(groupBy);
        for (Map.Entry<byte[], byte[]> e : hash.entrySet()) tiles.add(e.getKey(), e.getValue());
        return tiles;
      }
    });
  }

  private Rawable[] fields(StoreRequest r) {
    SelectedFields f = selectedFields.get(r.groupBy());
    if (f == null || f.selection() != r.selection()) {
      byte[][] bytes = StoreReplies.fields(r.selection());
      Rawable[] fields = new Rawable[bytes.length];
      for (int i = 0; i < bytes.length; i++) fields[i] = RawableFactory.from(bytes[i]);
      f = new SelectedFields(r.selection(), fields);
      selectedFields.put(r.groupBy(), f);
    }
    return f.fields();
  }

  private Pipeline shard(Map<HostAndPort, ShardPipeline> pipelines, byte[] key, long deadlineNanos) {
    HostAndPort node = shards.nodeOf(key);
    ShardPipeline s = pipelines.get(node);
    if (s == null) {
      Connection c = shards.connection(node);
      watchdog.lend(c, deadlineNanos);
      s = new ShardPipeline(c);
      pipelines.put(node, s);
    }
    return s.pipeline;
  }

  /** Sends every shard's commands and waits for their replies: the first shard's on this thread, the others' on virtual threads. */
  private static void syncAll(List<ShardPipeline> pipelines) throws InterruptedException {
    List<Thread> others = new ArrayList<>(pipelines.size() - 1);
    for (int i = 1; i < pipelines.size(); i++) others.add(Thread.ofVirtual().start(pipelines.get(i)::sync));
    pipelines.getFirst().sync();
    for (Thread t : others) t.join();
    for (ShardPipeline s : pipelines) if (s.failure != null) throw s.failure;
  }

  private static Object reply(Response<?> r) {
    try {
      return r.get();
    } catch (JedisRedirectionException e) {
      throw e;
    } catch (JedisDataException e) {
      throw new RedisReplyException(e.getMessage());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
