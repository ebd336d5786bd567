package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.testkit.FeatureComparison;
import dev.tessera.agg.testkit.ReferenceVectors;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The topology's tiles are the tiles common-agg builds from the same events (byte for byte), and
 * the fetcher's merge of them reproduces the shared reference vectors.
 */
class TileTopologyTest {
  static List<ReferenceVectors> vectors() {
    return ReferenceVectors.all();
  }

  static List<org.junit.jupiter.params.provider.Arguments> vectorsAndPartitionings() {
    List<org.junit.jupiter.params.provider.Arguments> out = new java.util.ArrayList<>();
    for (ReferenceVectors v : ReferenceVectors.all()) {
      for (TopologySettings.Partitioning p : TopologySettings.Partitioning.values()) out.add(org.junit.jupiter.params.provider.Arguments.of(v, p));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("vectorsAndPartitionings")
  void tilesAreByteForByteWhatRowAggregatorBuildsFromTheSameEvents(ReferenceVectors v, TopologySettings.Partitioning partitioning) {
    try (TopologyHarness h = new TopologyHarness(v.groupBy().definition(), TopologyHarness.settings().withPartitioning(partitioning))) {
      for (Map<String, Object> e : v.events()) h.send(String.valueOf(e.get("user_id")), e);
      h.flush();
      Map<String, Map<String, byte[]>> expected = ExpectedTiles.of(v.groupBy(), 1, v.events());
      assertThat(expected).isNotEmpty();
      ExpectedTiles.assertSame(h.redis.hashes, expected);
      long accepted = expected.values().stream().mapToLong(Map::size).sum();
      assertThat(h.redis.tileCount()).isEqualTo(accepted);
      assertThat(h.deadLetters()).isEmpty();
      assertThat(h.count("events.in", "groupBy", v.groupBy().name())).isEqualTo(v.events().size());
    }
  }

  /**
   * The fetcher's merge (batch IR as of B = the query's day + the streamed tiles) gives every expected
   * value of the vectors, for each query whose tile holds no event at or after t (otherwise the tile
   * would contain events the value as of t must not see; DESIGN.md "atMillis").
   */
  @ParameterizedTest
  @MethodSource("vectors")
  void fetcherMergeOfStreamedTilesReproducesTheReferenceVectors(ReferenceVectors v) {
    try (TopologyHarness h = new TopologyHarness(v.groupBy().definition(), TopologyHarness.settings())) {
      for (Map<String, Object> e : v.events()) h.send(String.valueOf(e.get("user_id")), e);
      h.flush();
      int[] compared = {0};
      assertThat(ExpectedTiles.vectorMismatches(v, v.groupBy(), 1, h.redis.hashes, compared)).isEmpty();
      assertThat(compared[0]).as("queries compared").isGreaterThan(v.queries().size() / 2);
      // and through the hour rollups, reading what a fetcher's TileSelection reads
      compared[0] = 0;
      assertThat(ExpectedTiles.vectorMismatches(v, v.groupBy(), 1, h.redis.hashes, h.redis.rollups, compared)).isEmpty();
      assertThat(compared[0]).as("queries compared through rollups").isGreaterThan(v.queries().size() / 2);
    }
  }

  /**
   * Every hour with tiles has a rollup that holds what its tiles hold (values within the reference
   * vectors' tolerances: a rollup applies the hour's events one by one), with its newest tile's start.
   */
  @ParameterizedTest
  @MethodSource("vectors")
  void everyHourOfTilesHasItsRollup(ReferenceVectors v) {
    try (TopologyHarness h = new TopologyHarness(v.groupBy().definition(), TopologyHarness.settings())) {
      for (Map<String, Object> e : v.events()) h.send(String.valueOf(e.get("user_id")), e);
      h.flush();
      var g = v.groupBy();
      var agg = g.aggregator();
      var codec = new dev.tessera.agg.codec.IrCodec(g);
      boolean[] all = agg.mask(agg.allColumns());
      int hours = 0;
      for (var hash : h.redis.hashes.entrySet()) {
        java.util.TreeMap<Long, java.util.List<Long>> byHour = new java.util.TreeMap<>();
        for (String field : hash.getValue().keySet()) {
          long s = dev.tessera.agg.codec.RedisKeys.tileStart(field);
          byHour.computeIfAbsent(dev.tessera.agg.window.Windows.floor(s, dev.tessera.agg.tile.TileSelection.ROLLUP), x -> new java.util.ArrayList<>()).add(s);
        }
        Map<String, byte[]> rolled = h.redis.rollups.get(hash.getKey());
        assertThat(rolled).as(hash.getKey()).isNotNull();
        for (var hour : byHour.entrySet()) {
          var merged = agg.newIr();
          for (long s : hour.getValue()) {
            byte[] tile = hash.getValue().get(dev.tessera.agg.codec.RedisKeys.tileField(s));
            codec.mergeTile(merged, new dev.tessera.agg.codec.ByteSource(tile), all);
          }
          byte[] bytes = rolled.get(dev.tessera.agg.codec.RedisKeys.rollupField(hour.getKey()));
          assertThat(bytes).as("%s hour %d", hash.getKey(), hour.getKey()).isNotNull();
          var rollup = codec.decodeRollup(bytes);
          assertThat(rollup.newestTileStart()).isEqualTo(hour.getValue().stream().mapToLong(Long::longValue).max().orElseThrow());
          for (int c : agg.allColumns()) {
            var op = agg.column(c).aggregation().operation();
            assertThat(FeatureComparison.difference(agg.finish(merged, c), agg.finish(rollup.ir(), c), FeatureComparison.tolerance(op)))
                .as("%s hour %d column %d", hash.getKey(), hour.getKey(), c).isNull();
          }
          hours++;
        }
        assertThat(rolled.keySet().stream().filter(f -> f.startsWith("h")).count()).isEqualTo(byHour.size());
      }
      assertThat(hours).isPositive();
    }
  }
}
