package dev.tessera.fetcher.store;

import dev.tessera.agg.codec.RedisKeys;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads everything a request needs in one pipelined round trip (DESIGN.md "Storage layout"): per
 * GroupBy version read, its upload marker and, per entity, {@code GET} of its batch IR and
 * {@code HGETALL} of its tiles (a Join reads several GroupBy versions), written in one write on a
 * connection of its own
 * ({@link RedisSockets}); the requesting thread then parses the replies as they arrive, the tiles
 * straight into arrays.
 *
 * <p>An error reply that concerns one entity (a key of the wrong Redis type) fails only that
 * entity; any other error reply ({@code LOADING}, {@code NOAUTH}) or I/O failure fails the whole
 * read, so that the circuit breaker sees it. A connection that served earlier reads may have been
 * closed by a Redis that restarted since: a read that fails on one with an I/O error (not a time-out)
 * is tried once more on a new connection, within the same deadline.
 */
final class PipelinedReader {
  private final RedisSockets sockets;
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

  PipelinedReader(RedisSockets sockets) {
    this.sockets = sockets;
  }

  String where() {
    return sockets.where();
  }

  /**
   * The stored bytes of {@code keys} (key values in key order) of one GroupBy version, read before
   * {@code deadlineNanos} ({@link System#nanoTime()}).
   *
   * @throws SocketTimeoutException when the deadline passed
   * @throws IOException when Redis cannot be reached or the connection failed
   * @throws RedisReplyException when Redis answered with an error that is not about one key
   */
  StoreRead read(String groupBy, int version, List<List<Object>> keys, long deadlineNanos) throws IOException {
    return read(List.of(new StoreRequest(groupBy, version, keys)), deadlineNanos).getFirst();
  }

  /**
   * The stored bytes of several GroupBy versions' entities in one round trip: every command of
   * every request in one write, the replies parsed in the same order. One answer per request.
   *
   * @throws SocketTimeoutException when the deadline passed
   * @throws IOException when Redis cannot be reached or the connection failed
   * @throws RedisReplyException when Redis answered with an error that is not about one key
   */
  List<StoreRead> read(List<StoreRequest> requests, long deadlineNanos) throws IOException {
    RespConnection c = sockets.take(deadlineNanos);
    try {
      return readOn(c, requests, deadlineNanos);
    } catch (IOException e) {
      if (!c.reused() || e instanceof SocketTimeoutException) throw e;
      sockets.discardIdle();
      return readOn(sockets.openNew(deadlineNanos), requests, deadlineNanos);
    }
  }

  /** One attempt; the connection goes back to the pool if it is still in step, else it is closed. */
  private List<StoreRead> readOn(RespConnection c, List<StoreRequest> requests, long deadlineNanos) throws IOException {
    boolean inStep = false;
    try {
      List<StoreRead> read = exchange(c, requests, deadlineNanos);
      inStep = true;
      return read;
    } catch (RedisReplyException e) {
      // every reply was read: the connection can serve the next read
      inStep = true;
      throw e;
    } finally {
      if (inStep) sockets.giveBack(c);
      else sockets.discard(c);
    }
  }

  private List<StoreRead> exchange(RespConnection c, List<StoreRequest> requests, long deadlineNanos) throws IOException {
    for (StoreRequest r : requests) {
      c.keyCommand("GET", RedisKeys.uploadKey(r.groupBy(), r.version()));
      for (List<Object> key : r.keys()) {
        c.keyCommand("GET", RedisKeys.batchKey(r.groupBy(), r.version(), key));
        c.keyCommand("HGETALL", RedisKeys.tilesKey(r.groupBy(), r.version(), key));
      }
    }
    c.flush(deadlineNanos);

    // every reply is read before an error that is not about one key is thrown: the connection stays in step
    RedisReplyException[] fatal = {null};
    List<StoreRead> reads = new ArrayList<>(requests.size());
    for (StoreRequest r : requests) reads.add(replies(c, r, fatal));
    if (fatal[0] != null) throw fatal[0];
    return reads;
  }

  /** The replies of one request's commands; the first error that is not about one key goes into {@code fatal}. */
  private StoreRead replies(RespConnection c, StoreRequest request, RedisReplyException[] fatal) throws IOException {
    Long uploadMarker = null;
    String markerError = null;
    try {
      byte[] m = c.readBulk();
      if (m != null) {
        try {
          uploadMarker = Long.parseLong(new String(m, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
          markerError = "upload marker is not a batch end in millis: '" + new String(m, StandardCharsets.UTF_8) + "'";
        }
      }
    } catch (RedisReplyException e) {
      if (!e.concernsOneKey() && fatal[0] == null) fatal[0] = e;
      markerError = "upload marker cannot be read: " + e.getMessage();
    }

    String groupBy = request.groupBy();
    int n = request.keys().size();
    TileSizes expected = tileSizes.getOrDefault(groupBy, new TileSizes(32, 32 * 64));
    List<StoredEntity> entities = new ArrayList<>(n);
    TileOutput last = null;
    for (int i = 0; i < n; i++) {
      String failure = null;
      byte[] batch = null;
      try {
        batch = c.readBulk();
      } catch (RedisReplyException e) {
        if (!e.concernsOneKey() && fatal[0] == null) fatal[0] = e;
        failure = "batch IR key cannot be read: " + e.getMessage();
      }
      TileOutput tiles = new TileOutput(expected.tiles(), expected.bytesWithRoom());
      try {
        c.readTiles(tiles);
      } catch (RedisReplyException e) {
        if (!e.concernsOneKey() && fatal[0] == null) fatal[0] = e;
        if (failure == null) failure = "tiles key cannot be read: " + e.getMessage();
      }
      if (markerError != null) entities.add(StoredEntity.failed(markerError));
      else if (failure != null) entities.add(StoredEntity.failed(failure));
      else if (tiles.error() != null) entities.add(StoredEntity.failed(tiles.error()));
      else entities.add(new StoredEntity(batch, tiles.tiles(), null));
      last = tiles;
    }
    if (last != null) {
      TileSizes seen = new TileSizes(last.size(), last.byteCount());
      if (expected.differs(seen)) tileSizes.put(groupBy, seen);
    }
    return new StoreRead(uploadMarker, markerError, entities);
  }
}
