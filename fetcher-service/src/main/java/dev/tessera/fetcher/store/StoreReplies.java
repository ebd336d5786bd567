package dev.tessera.fetcher.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the replies of one pipelined read, in command order (DESIGN.md "Storage layout in Redis"):
 * per request {@code GET} of its upload marker, then per entity {@code GET} of its batch IR and
 * {@code HGETALL} of its tiles, into one {@link StoreRead} per request, whatever client fetched them.
 *
 * <p>An error reply that concerns one entity (a key of the wrong Redis type) fails only that entity;
 * the first other error reply ({@code LOADING}, {@code NOAUTH}) is thrown after every reply was taken,
 * so that the circuit breaker sees it. It also remembers the tile count and bytes per GroupBy last seen,
 * so that the next read's tile arrays are made that size.
 */
final class StoreReplies {
  /** The replies of a read, taken in command order. */
  interface Source {
    /** The next {@code GET} reply (null: no such key). */
    byte[] bulk() throws Exception;

    /** The next {@code HGETALL} reply, of an entity of {@code groupBy} (sized by {@link #output}). */
    TileOutput tiles(String groupBy) throws Exception;
  }

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

  /** An output for the next entity of {@code groupBy}, sized as its last one. */
  TileOutput output(String groupBy) {
    TileSizes expected = tileSizes.getOrDefault(groupBy, new TileSizes(32, 32 * 64));
    return new TileOutput(expected.tiles(), expected.bytesWithRoom());
  }

  /**
   * One answer per request from {@code replies}.
   *
   * @throws RedisReplyException the first error reply that is not about one key, after all replies were taken
   */
  List<StoreRead> collect(List<StoreRequest> requests, Source replies) throws Exception {
    RedisReplyException[] fatal = {null};
    List<StoreRead> reads = new ArrayList<>(requests.size());
    for (StoreRequest r : requests) reads.add(request(r, replies, fatal));
    if (fatal[0] != null) throw fatal[0];
    return reads;
  }

  private StoreRead request(StoreRequest request, Source replies, RedisReplyException[] fatal) throws Exception {
    Long uploadMarker = null;
    String markerError = null;
    try {
      byte[] m = replies.bulk();
      if (m != null) {
        try {
          uploadMarker = Long.parseLong(new String(m, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
          markerError = "upload marker is not a batch end in millis: '" + new String(m, StandardCharsets.UTF_8) + "'";
        }
      }
    } catch (RedisReplyException e) {
      note(e, fatal);
      markerError = "upload marker cannot be read: " + e.getMessage();
    }

    String groupBy = request.groupBy();
    int n = request.keys().size();
    List<StoredEntity> entities = new ArrayList<>(n);
    TileOutput last = null;
    for (int i = 0; i < n; i++) {
      String failure = null;
      byte[] batch = null;
      try {
        batch = replies.bulk();
      } catch (RedisReplyException e) {
        note(e, fatal);
        failure = "batch IR key cannot be read: " + e.getMessage();
      }
      TileOutput tiles = null;
      try {
        tiles = replies.tiles(groupBy);
      } catch (RedisReplyException e) {
        note(e, fatal);
        if (failure == null) failure = "tiles key cannot be read: " + e.getMessage();
      }
      if (markerError != null) entities.add(StoredEntity.failed(markerError));
      else if (failure != null) entities.add(StoredEntity.failed(failure));
      else if (tiles.error() != null) entities.add(StoredEntity.failed(tiles.error()));
      else entities.add(new StoredEntity(batch, tiles.tiles(), null));
      if (tiles != null) last = tiles;
    }
    if (last != null) remember(groupBy, last);
    return new StoreRead(uploadMarker, markerError, entities);
  }

  private void remember(String groupBy, TileOutput last) {
    TileSizes seen = new TileSizes(last.size(), last.byteCount());
    TileSizes expected = tileSizes.get(groupBy);
    if (expected == null || expected.differs(seen)) tileSizes.put(groupBy, seen);
  }

  private static void note(RedisReplyException e, RedisReplyException[] fatal) {
    if (!e.concernsOneKey() && fatal[0] == null) fatal[0] = e;
  }
}
