package dev.tessera.fetcher.store;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.tile.TileSelection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the replies of one pipelined read, in command order (DESIGN.md "Storage layout in Redis"):
 * per request {@code GET} of its upload marker, then per entity {@code GET} of its batch IR and
 * {@code HGETALL} of its tiles, into one {@link StoreRead} per request, whatever client fetched them.
 * A request with a {@link TileSelection} has, per entity, {@code HLEN} and {@code HMGET} of its
 * selected fields instead of {@code HGETALL}; an entity whose rollups the hash's {@code r} field
 * does not vouch for, or every entity when the upload marker is older than the selection assumed,
 * comes back {@link StoredEntity#incomplete() incomplete}, to be read whole.
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

    /** The next integer reply ({@code HLEN}). */
    long integer() throws Exception;

    /** The next {@code HMGET} reply: a value or null per field asked for. */
    List<byte[]> values() throws Exception;
  }

  /**
   * The fields of a selected read of a tiles hash, in the order {@link #selected} takes the values:
   * the {@code r} field, the hour rollups, the tiles.
   */
  static byte[][] fields(TileSelection selection) {
    byte[][] fields = new byte[1 + selection.fieldCount()][];
    int i = 0;
    fields[i++] = RedisKeys.ROLLUPS_FROM_FIELD.getBytes(StandardCharsets.US_ASCII);
    for (long h : selection.rollupStarts()) fields[i++] = RedisKeys.rollupField(h).getBytes(StandardCharsets.US_ASCII);
    for (long s : selection.tileStarts()) fields[i++] = RedisKeys.tileField(s).getBytes(StandardCharsets.US_ASCII);
    return fields;
  }

  private final Map<String, TileSizes> tileSizes = new ConcurrentHashMap<>();
  private final HashLimits limits;

  StoreReplies(HashLimits limits) {
    this.limits = limits;
  }

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
    int largestHash = 0, largestValue = 0;
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
      boolean incomplete = false;
      try {
        if (request.selection() == null) {
          tiles = replies.tiles(groupBy);
          largestHash = Math.max(largestHash, tiles.fieldCount());
        } else {
          int[] hashLength = {0};
          tiles = selected(groupBy, request.selection(), replies, hashLength);
          incomplete = tiles == null;
          largestHash = Math.max(largestHash, hashLength[0]);
        }
        if (tiles != null) largestValue = Math.max(largestValue, tiles.largestValue());
      } catch (RedisReplyException e) {
        note(e, fatal);
        if (failure == null) failure = "tiles key cannot be read: " + e.getMessage();
      }
      if (markerError != null) entities.add(StoredEntity.failed(markerError));
      else if (incomplete && failure == null) entities.add(StoredEntity.incompleteRead());
      else if (failure != null) entities.add(StoredEntity.failed(failure));
      else if (tiles.error() != null) entities.add(StoredEntity.failed(tiles.error()));
      else entities.add(new StoredEntity(batch, tiles.tiles(), null));
      if (tiles != null && request.selection() == null) last = tiles;
    }
    if (last != null) remember(groupBy, last);
    if (request.selection() != null && markerError == null && !request.selection().holdsFor(uploadMarker)) {
      // planned with a batch end the marker no longer has (or none): tiles before it were not asked for
      for (int i = 0; i < entities.size(); i++) if (!entities.get(i).failed()) entities.set(i, StoredEntity.incompleteRead());
    }
    return new StoreRead(uploadMarker, markerError, entities, largestHash == 0 ? null : limits.listpack(largestHash, largestValue));
  }

  /** A read of whole tiles hashes, for {@link #readWholeWhereIncomplete}. */
  @FunctionalInterface
  interface WholeRead {
    List<StoreRead> read(List<StoreRequest> requests) throws Exception;
  }

  /**
   * {@code reads} with every {@link StoredEntity#incomplete() incomplete} entity read again whole
   * (rare: a hash written before rollups, or an upload marker older than the selection assumed),
   * in one more round trip for all of them.
   */
  static List<StoreRead> readWholeWhereIncomplete(List<StoreRequest> requests, List<StoreRead> reads, WholeRead whole) throws Exception {
    List<StoreRequest> again = new ArrayList<>();
    List<int[]> where = new ArrayList<>(); // per request again: its request index, then its entities' indexes
    for (int r = 0; r < requests.size(); r++) {
      List<StoredEntity> entities = reads.get(r).entities();
      List<List<Object>> keys = new ArrayList<>();
      int[] at = new int[entities.size() + 1];
      at[0] = r;
      for (int e = 0; e < entities.size(); e++) {
        if (entities.get(e).incomplete()) {
          at[keys.size() + 1] = e;
          keys.add(requests.get(r).keys().get(e));
        }
      }
      if (keys.isEmpty()) continue;
      StoreRequest req = requests.get(r);
      again.add(new StoreRequest(req.groupBy(), req.version(), keys));
      where.add(at);
    }
    if (again.isEmpty()) return reads;
    List<StoreRead> wholeReads = whole.read(again);
    List<StoreRead> out = new ArrayList<>(reads);
    for (int i = 0; i < again.size(); i++) {
      int[] at = where.get(i);
      List<StoredEntity> entities = new ArrayList<>(reads.get(at[0]).entities());
      StoreRead read = wholeReads.get(i);
      for (int k = 0; k < read.entities().size(); k++) entities.set(at[k + 1], read.entities().get(k));
      out.set(at[0], new StoreRead(read.uploadMarker(), read.markerError(), entities, reads.get(at[0]).listpackHashes()));
    }
    return out;
  }

  /** The selected fields of one entity, or null when its hash holds rollups the selection cannot trust. */
  private TileOutput selected(String groupBy, TileSelection selection, Source replies, int[] hashLength) throws Exception {
    // both replies are taken before an error is thrown: the next entity's replies follow them
    long fields = 0;
    List<byte[]> values = null;
    RedisReplyException error = null;
    try {
      fields = replies.integer();
    } catch (RedisReplyException e) {
      error = e;
    }
    try {
      values = replies.values();
    } catch (RedisReplyException e) {
      if (error == null) error = e;
    }
    if (error != null) throw error;
    hashLength[0] = (int) Math.min(Integer.MAX_VALUE, fields);
    byte[] from = values.get(0);
    if (fields > 0 && selection.rollupStarts().length > 0) {
      // a hash with tiles but no rollups from the oldest hour asked for (written before rollups existed)
      if (from == null || parseLong(from) > selection.oldestRollup()) return null;
    }
    int bytes = 0; // sized to what came back: values are copied in, and a guess wastes or regrows
    for (int k = 1; k < values.size(); k++) {
      byte[] v = values.get(k);
      if (v != null) bytes += v.length;
    }
    TileOutput out = new TileOutput(selection.fieldCount(), bytes);
    if (from != null) out.noteValue(from.length); // a padded r is what makes the hash a hash table
    int i = 1;
    for (long h : selection.rollupStarts()) {
      byte[] v = values.get(i++);
      if (v != null) out.add(h, v);
    }
    out.rollupsAdded();
    for (long s : selection.tileStarts()) {
      byte[] v = values.get(i++);
      if (v != null) out.add(s, v);
    }
    return out;
  }

  /** The {@code r} field's hour (its value may be padded: {@link RedisKeys#padRollupsFrom}), or {@link Long#MAX_VALUE} when it is not a number. */
  private static long parseLong(byte[] b) {
    int digits = RedisKeys.rollupsFromDigits(b);
    long v = TileOutput.parseDecimal(b, 0, digits); // as tile fields are: no string per entity
    if (v != Long.MIN_VALUE) return v;
    try {
      // MIN_VALUE is also parseDecimal's "not a number", and a legitimate "rollups from any hour on"
      return Long.parseLong(new String(b, 0, digits, StandardCharsets.US_ASCII));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // not a time: trust no rollup
    }
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
