package dev.tessera.agg.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.StreamingConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** DESIGN.md "Late events": older than tile end + allowedLateness when it arrives -> not applied. */
class LatenessTest {
  static final long TILE = 300_000L;
  static final long T0 = 1_717_286_400_000L;
  final StreamingConfig config = new StreamingConfig(Duration.ofMinutes(5), Duration.ofHours(1));

  @Test
  void anEventIsLateOnlyOnceStreamTimePassesItsTileEndPlusAllowedLateness() {
    long ts = T0 + 60_000; // tile [T0, T0 + 5m)
    long deadline = T0 + TILE + 3_600_000L;
    assertThat(config.isLate(ts, deadline, TILE)).isFalse();
    assertThat(config.isLate(ts, deadline + 1, TILE)).isTrue();
    assertThat(config.isLate(ts, ts, TILE)).isFalse();
  }

  @Test
  void aTileClosesWhenNoEventCouldStillReachIt() {
    assertThat(config.isClosed(T0, T0 + TILE + 3_600_000L, TILE)).isFalse();
    assertThat(config.isClosed(T0, T0 + TILE + 3_600_001L, TILE)).isTrue();
  }
}
