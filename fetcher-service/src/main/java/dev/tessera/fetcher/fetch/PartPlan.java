package dev.tessera.fetcher.fetch;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.tile.TileSelection;
import dev.tessera.fetcher.store.StoreRead;
import dev.tessera.fetcher.store.StoreRequest;
import dev.tessera.support.LiveGroupBy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The planning step that a GroupBy fetch and a Join fetch share: which GroupBy versions a request
 * reads, and for each (row, part) which entity. A GroupBy fetch is a plan of one part (a row is a
 * key); a Join's parts on the same GroupBy version (buyer and seller on a user GroupBy) share one
 * group, so their reads and merges are done once. Built once per definition; {@link #plan} turns a
 * request's keys into the {@link StoreRequest}s of its one pipelined round trip, each distinct
 * entity once, reading of each tiles hash only what a {@link TileSelection} picks when the group's
 * hashes are hash tables (a listpack is cheaper to read whole: {@code StoreRead.listpackHashes}). The
 * selection is planned with the upload marker the group's last read saw (it changes once a day); the
 * store reads an entity whole when the marker it reads is older than that.
 */
public final class PartPlan {
  /** A GroupBy version the plan reads, with the merger of its stored bytes. */
  public record Group(String groupBy, int version, EntityMerger merger, CompiledGroupBy compiled) {}

  /** Per group, the upload marker its last read saw ({@link Long#MIN_VALUE}: none yet). */
  private final AtomicLongArray markers;
  /** Per group, what its last read said of its tiles hashes: {@link #UNKNOWN}, {@link #LISTPACK} or {@link #TABLE}. */
  private final AtomicIntegerArray hashes;
  private static final int UNKNOWN = 0, LISTPACK = 1, TABLE = 2;

  /** The key values (in key order, never null) of one part of one row. */
  @FunctionalInterface
  public interface Keys {
    List<Object> of(int row, int part);
  }

  private final List<Group> groups;
  /** Per group, its tile selection as of the fetch time, made once per tile period. */
  private final SelectionCache[] selections;
  /** Part index -> index of its group. */
  private final int[] partGroup;

  private PartPlan(List<Group> groups, int[] partGroup) {
    this.groups = List.copyOf(groups);
    this.partGroup = partGroup;
    this.selections = new SelectionCache[groups.size()];
    for (int g = 0; g < groups.size(); g++) selections[g] = new SelectionCache(groups.get(g).compiled());
    this.markers = new AtomicLongArray(groups.size());
    this.hashes = new AtomicIntegerArray(groups.size());
    for (int g = 0; g < groups.size(); g++) markers.set(g, Long.MIN_VALUE);
  }

  /** The plan of a GroupBy fetch: one part, the GroupBy itself. */
  public static PartPlan of(LiveGroupBy live) {
    return new PartPlan(List.of(new Group(live.name(), live.version(), new EntityMerger(live.compiled()), live.compiled())), new int[] {0});
  }

  /** The plan of a Join fetch: a part per Join part, one group per distinct GroupBy version. */
  public static PartPlan of(List<CompiledPart> parts) {
    int[] partGroup = new int[parts.size()];
    List<Group> groups = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      CompiledPart part = parts.get(p);
      int found = -1;
      for (int i = 0; i < groups.size() && found < 0; i++) {
        if (groups.get(i).groupBy().equals(part.groupBy().name()) && groups.get(i).version() == part.groupByVersion()) found = i;
      }
      if (found < 0) {
        found = groups.size();
        groups.add(new Group(part.groupBy().name(), part.groupByVersion(), new EntityMerger(part.groupBy()), part.groupBy()));
      }
      partGroup[p] = found;
    }
    return new PartPlan(groups, partGroup);
  }

  public int parts() {
    return partGroup.length;
  }

  public List<Group> groups() {
    return groups;
  }

  /** The reads of a request of {@code rows} rows: per group the distinct entities its parts need, and which one each (row, part) is. */
  public Reads plan(int rows, Keys keys) {
    return new Reads(rows, keys);
  }

  /** The planned reads of one request, then the merged outcome of each entity, merged once. */
  public final class Reads {
    private final List<Map<List<Object>, Integer>> entities;
    private final int[] entityOf;
    private EntityMerger.Outcome[][] outcomes;

    private Reads(int rows, Keys keys) {
      int parts = partGroup.length;
      this.entities = new ArrayList<>(groups.size());
      for (int g = 0; g < groups.size(); g++) entities.add(LinkedHashMap.newLinkedHashMap(rows));
      this.entityOf = new int[rows * parts];
      for (int r = 0; r < rows; r++) {
        for (int p = 0; p < parts; p++) {
          Map<List<Object>, Integer> group = entities.get(partGroup[p]);
          Integer at = group.putIfAbsent(keys.of(r, p), group.size());
          entityOf[r * parts + p] = at == null ? group.size() - 1 : at;
        }
      }
    }

    /** The store requests, one per group, in group order, each reading whole tiles hashes. */
    public List<StoreRequest> requests() {
      return requests(Long.MIN_VALUE);
    }

    /**
     * The store requests of a fetch as of {@code t}, one per group, in group order (the answers of
     * the one round trip come back in this order), each reading the tiles and rollups that
     * {@code t} needs when the group's upload marker is known, else whole tiles hashes.
     */
    public List<StoreRequest> requests(long t) {
      List<StoreRequest> requests = new ArrayList<>(groups.size());
      for (int g = 0; g < groups.size(); g++) {
        Group group = groups.get(g);
        long marker = markers.get(g);
        boolean select = t != Long.MIN_VALUE && marker != Long.MIN_VALUE && hashes.get(g) == TABLE;
        TileSelection selection = select ? selections[g].of(t, marker) : null;
        requests.add(new StoreRequest(group.groupBy(), group.version(), new ArrayList<>(entities.get(g).keySet()), selection));
      }
      return requests;
    }

    /**
     * The values of part {@code part} of row {@code row} as of {@code t}, out of {@code stored} (the
     * answers to {@link #requests()}); an entity that several rows or parts share is merged once.
     */
    public EntityMerger.Outcome outcome(List<StoreRead> stored, int row, int part, long t) {
      if (outcomes == null) {
        outcomes = new EntityMerger.Outcome[groups.size()][];
        for (int g = 0; g < outcomes.length; g++) {
          outcomes[g] = new EntityMerger.Outcome[stored.get(g).entities().size()];
          Long marker = stored.get(g).uploadMarker();
          markers.set(g, marker == null ? Long.MIN_VALUE : marker);
          Boolean listpack = stored.get(g).listpackHashes();
          if (listpack != null) hashes.set(g, listpack ? LISTPACK : TABLE);
        }
      }
      int g = partGroup[part];
      int e = entityOf[row * partGroup.length + part];
      EntityMerger.Outcome o = outcomes[g][e];
      if (o == null) {
        StoreRead read = stored.get(g);
        o = outcomes[g][e] = groups.get(g).merger().merge(read.entities().get(e), read.uploadMarker(), t);
      }
      return o;
    }
  }
}
