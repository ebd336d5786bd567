package dev.tessera.fetcher.store;

import dev.tessera.agg.codec.RedisKeys;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Reads everything a request needs in one pipelined round trip (DESIGN.md "Storage layout"): the
 * upload marker of the GroupBy version and, per entity, {@code GET} of its batch IR and
 * {@code HGETALL} of its tiles. The commands go to the connection as one batch
 * ({@code dispatch(Collection)}: one write, one flush) and the tiles stream straight into arrays.
 *
 * <p>Why not {@code setAutoFlushCommands(false)} + {@code flushCommands()} on a shared connection:
 * Lettuce's flush takes an exclusive lock that busy-waits for concurrent writers; with virtual
 * threads on a two-core machine a flushing thread spun on its carrier while the writer it waited
 * for could not run, and fetches stalled for tens of milliseconds. A batch dispatch needs no
 * exclusive lock.
 *
 * <p>A command error that concerns one entity (a key of the wrong Redis type) fails only that
 * entity; any other failure (connection lost, Redis loading) fails the whole read, so the circuit
 * breaker sees it.
 */
public final class PipelinedReader {
  private static final ByteArrayCodec CODEC = ByteArrayCodec.INSTANCE;

  private final RedisConnections connections;
  /** Tiles and their bytes per entity last seen, per GroupBy: the arrays of the next read are made that size. */
  private final Map<String, TileSizes> tileSizes = new ConcurrentHashMap<>();

  private record TileSizes(int tiles, int bytes) {
    /** IR sizes vary from key to key: room for an eighth more, so that the next key seldom grows the array. */
    int bytesWithRoom() {
      return bytes + bytes / 8;
    }

    /** Worth remembering instead of {@code this}: other tile count, or bytes that no longer fit or leave much unused. */
    boolean differs(TileSizes seen) {
      return seen.tiles != tiles || seen.bytes > bytesWithRoom() || seen.bytesWithRoom() < bytes;
    }
  }

  public PipelinedReader(RedisConnections connections) {
    this.connections = connections;
  }

  /** Sends the commands; the returned read completes when every answer is in. */
  public Pending send(String groupBy, int version, List<List<Object>> keys) {
    StatefulRedisConnection<byte[], byte[]> connection = connections.pick();
    int n = keys.size();
    List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>(1 + 2 * n);
    AsyncCommand<byte[], byte[], byte[]> marker = get(bytes(RedisKeys.uploadKey(groupBy, version)));
    commands.add(marker);
    @SuppressWarnings("unchecked")
    AsyncCommand<byte[], byte[], byte[]>[] batches = new AsyncCommand[n];
    @SuppressWarnings("unchecked")
    AsyncCommand<byte[], byte[], Long>[] tileReads = new AsyncCommand[n];
    TileOutput[] tiles = new TileOutput[n];
    TileSizes expected = tileSizes.getOrDefault(groupBy, new TileSizes(32, 32 * 64));
    for (int i = 0; i < n; i++) {
      List<Object> key = keys.get(i);
      batches[i] = get(bytes(RedisKeys.batchKey(groupBy, version, key)));
      tiles[i] = new TileOutput(expected.tiles(), expected.bytesWithRoom());
      tileReads[i] = new AsyncCommand<>(new Command<>(CommandType.HGETALL, tiles[i],
          new CommandArgs<>(CODEC).addKey(bytes(RedisKeys.tilesKey(groupBy, version, key)))));
      commands.add(batches[i]);
      commands.add(tileReads[i]);
    }
    connection.dispatch(commands);
    CompletableFuture<?>[] all = commands.toArray(CompletableFuture<?>[]::new);
    CompletableFuture<Void> done = CompletableFuture.allOf(all).handle((ok, ignored) -> {
      for (CompletableFuture<?> f : all) {
        Throwable e = failureOf(f);
        if (e != null && !concernsOneKey(e)) throw e instanceof CompletionException ce ? ce : new CompletionException(e);
      }
      return null;
    });
    return new Pending(done, marker, batches, tileReads, tiles, seen -> {
      if (expected.differs(seen)) tileSizes.put(groupBy, seen);
    });
  }

  private static AsyncCommand<byte[], byte[], byte[]> get(byte[] key) {
    return new AsyncCommand<>(new Command<>(CommandType.GET, new ValueOutput<>(CODEC), new CommandArgs<>(CODEC).addKey(key)));
  }

  /** A read in flight. {@link #result()} is valid once {@link #done()} completed normally. */
  public static final class Pending {
    private final CompletableFuture<Void> done;
    private final CompletableFuture<byte[]> marker;
    private final CompletableFuture<byte[]>[] batches;
    private final CompletableFuture<Long>[] tileReads;
    private final TileOutput[] tiles;
    private final Consumer<TileSizes> sizesSeen;

    Pending(CompletableFuture<Void> done, CompletableFuture<byte[]> marker, CompletableFuture<byte[]>[] batches,
        CompletableFuture<Long>[] tileReads, TileOutput[] tiles, Consumer<TileSizes> sizesSeen) {
      this.done = done;
      this.marker = marker;
      this.batches = batches;
      this.tileReads = tileReads;
      this.tiles = tiles;
      this.sizesSeen = sizesSeen;
    }

    public CompletableFuture<Void> done() {
      return done;
    }

    public StoreRead result() {
      Long uploadMarker = null;
      String markerError = null;
      Throwable markerFailure = failureOf(marker);
      if (markerFailure != null) {
        markerError = "upload marker cannot be read: " + markerFailure.getMessage();
      } else {
        byte[] m = marker.getNow(null);
        if (m != null) {
          try {
            uploadMarker = Long.parseLong(new String(m, StandardCharsets.US_ASCII));
          } catch (NumberFormatException e) {
            markerError = "upload marker is not a batch end in millis: '" + new String(m, StandardCharsets.UTF_8) + "'";
          }
        }
      }
      List<StoredEntity> entities = new ArrayList<>(batches.length);
      for (int i = 0; i < batches.length; i++) {
        Throwable batchFailure = failureOf(batches[i]);
        Throwable tilesFailure = failureOf(tileReads[i]);
        if (markerError != null) {
          entities.add(StoredEntity.failed(markerError));
        } else if (batchFailure != null) {
          entities.add(StoredEntity.failed("batch IR key cannot be read: " + batchFailure.getMessage()));
        } else if (tilesFailure != null) {
          entities.add(StoredEntity.failed("tiles key cannot be read: " + tilesFailure.getMessage()));
        } else if (tiles[i].error() != null) {
          entities.add(StoredEntity.failed(tiles[i].error()));
        } else {
          entities.add(new StoredEntity(batches[i].getNow(null), tiles[i].tiles(), null));
        }
      }
      if (tiles.length > 0) {
        TileOutput last = tiles[tiles.length - 1];
        sizesSeen.accept(new TileSizes(last.size(), last.byteCount()));
      }
      return new StoreRead(uploadMarker, markerError, entities);
    }
  }

  /** Redis answered this command with an error about this key only (wrong type). */
  private static boolean concernsOneKey(Throwable e) {
    return e instanceof RedisCommandExecutionException && e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE");
  }

  static Throwable failureOf(CompletableFuture<?> f) {
    if (!f.isDone()) return new IllegalStateException("no answer yet");
    try {
      f.getNow(null);
      return null;
    } catch (CompletionException e) {
      return e.getCause() == null ? e : e.getCause();
    } catch (CancellationException e) {
      return e;
    }
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
