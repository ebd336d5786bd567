package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** DESIGN.md: streaming tiles are kept until the next upload replaces the batch IR, and at least 2 days. */
class TileRetentionTest {
  static final long DAY = 86_400_000L, HOUR = 3_600_000L, MIN = 60_000L;
  static final long NOW = 100 * DAY + 7 * HOUR + 13 * MIN;

  static TileRetention retention(String... windows) {
    var b = GroupBy.builder("r").keys("k").source(EventSource.builder().table("t").topic("t")
        .column("k", "STRING").column("v", "DOUBLE").column("ts", "LONG").timeColumn("ts").build());
    b.aggregate("v", Operation.SUM, windows);
    return TileRetention.of(GroupByCompiler.compile(b.build()).orThrow(), Duration.ofDays(2), Duration.ofDays(30), Duration.ofDays(1));
  }

  @Test
  void withAnUploadTilesAreKeptBackToItsBatchEndAndAtLeastTwoDays() {
    TileRetention r = retention("1h", "7d");
    assertThat(r.keepFrom(NOW, 99 * DAY)).isEqualTo(NOW - 2 * DAY - 3 * MIN); // B is later than now - 2d
    assertThat(r.keepFrom(NOW, 95 * DAY)).isEqualTo(95 * DAY); // a late upload: back to B
    assertThat(r.keepFrom(NOW, 10 * DAY)).isEqualTo(70 * DAY + 7 * HOUR + 10 * MIN); // but never past 30 days
  }

  @Test
  void withoutAnUploadTheLongestWindowPlusItsHopIsKept() {
    assertThat(retention("1h", "7d").keepFrom(NOW, null)).isEqualTo(NOW - 7 * DAY - HOUR - 3 * MIN);
    assertThat(retention("1h").keepFrom(NOW, null)).isEqualTo(NOW - 2 * DAY - 3 * MIN);
    assertThat(retention("90d").keepFrom(NOW, null)).isEqualTo(NOW - 30 * DAY - 7 * HOUR - 13 * MIN);
    assertThat(retention().keepFrom(NOW, null)).as("lifetime only").isEqualTo(NOW - 2 * DAY - 3 * MIN);
  }

  @Test
  void idleHashesExpireAfterTheLongestTheyCanBeNeededPlusTheMargin() {
    assertThat(retention("1h").ttl()).isEqualTo(Duration.ofDays(3));
    assertThat(retention("1h", "7d").ttl()).isEqualTo(Duration.ofDays(8).plusHours(1));
    assertThat(retention("90d").ttl()).isEqualTo(Duration.ofDays(31));
  }

  @Test
  void inconsistentSettingsAreRefused() {
    assertThatThrownBy(() -> new TileRetention(300_000, Duration.ofDays(3), Duration.ZERO, Duration.ofDays(2), Duration.ZERO))
        .hasMessageContaining("maxRetention must be >= retention");
  }
}
