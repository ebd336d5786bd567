package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The watermark of a tiling task: the oldest origin's stream time, never moving back. */
class WatermarkTest {
  static final long H = 3_600_000;
  final Map<String, Long> store = new HashMap<>();
  final Watermark w = new Watermark(30 * 24 * H, store::put);

  @Test
  void isTheOldestOriginsStreamTimeNotTheNewestEventTime() {
    assertThat(w.advance(Watermark.origin("t", 0), 10 * H)).isEqualTo(10 * H);
    assertThat(w.advance(Watermark.origin("t", 1), 10 * H)).isEqualTo(10 * H);
    assertThat(w.advance(Watermark.origin("t", 0), 20 * H)).isEqualTo(10 * H); // partition 1 is still at 10h
    assertThat(w.newest()).isEqualTo(20 * H);
    assertThat(w.advance(Watermark.origin("t", 1), 15 * H)).isEqualTo(15 * H);
    assertThat(w.advance(Watermark.origin("t", 1), 25 * H)).isEqualTo(20 * H); // now partition 0 is the oldest
    assertThat(w.advance(Watermark.origin("t", 0), 19 * H)).isEqualTo(20 * H); // an origin's time only moves forward
  }

  @Test
  void anUnknownOriginDoesNotHoldItBackAndANewOneBehindDoesNotMoveItBack() {
    assertThat(w.advance(Watermark.origin("a", 0), 10 * H)).isEqualTo(10 * H); // a/1 unknown: not waited for
    // a/1 first heard of behind: tiles behind 10h may have left the store, so the watermark stays
    assertThat(w.advance(Watermark.origin("a", 1), 5 * H)).isEqualTo(10 * H);
    assertThat(w.advance(Watermark.origin("a", 0), 30 * H)).isEqualTo(10 * H); // but a/1 now holds it back
    assertThat(w.advance(Watermark.origin("a", 1), 12 * H)).isEqualTo(12 * H);
  }

  @Test
  void anExpectedOriginHoldsItBackUntilHeardFrom() {
    w.expect(Watermark.origin("t", 1)); // had records when the job started: its events are on their way
    assertThat(w.advance(Watermark.origin("t", 0), 10 * H)).isEqualTo(10 * H - 30 * 24 * H); // held back, but at most maxLag
    assertThat(w.advance(Watermark.origin("t", 0), 20 * H)).isEqualTo(20 * H - 30 * 24 * H);
    assertThat(w.advance(Watermark.origin("t", 1), 5 * H)).isEqualTo(5 * H);
    w.expect(Watermark.origin("t", 1)); // told again on a restart: changes nothing it knows
    assertThat(w.advance(Watermark.origin("t", 1), 6 * H)).isEqualTo(6 * H);
  }

  @Test
  void anIdleOriginHoldsItBackAtMostMaxLag() {
    w.advance(Watermark.origin("t", 0), 0);
    w.advance(Watermark.origin("t", 1), 0);
    assertThat(w.advance(Watermark.origin("t", 0), 29 * 24 * H)).isZero(); // t/1 idle: held back
    assertThat(w.advance(Watermark.origin("t", 0), 31 * 24 * H)).isEqualTo(24 * H); // but not more than 30 days
  }

  @Test
  void aRestartedTaskResumesFromTheStore() {
    w.advance(Watermark.origin("t", 0), 10 * H);
    w.advance(Watermark.origin("t", 1), 12 * H);
    w.advance(Watermark.origin("t", 2), 3 * H); // behind: the watermark stays at 10h
    Watermark restarted = new Watermark(30 * 24 * H, (k, v) -> {});
    store.forEach(restarted::restore);
    assertThat(restarted.watermark()).isEqualTo(10 * H);
    assertThat(restarted.newest()).isEqualTo(12 * H);
    assertThat(restarted.advance(Watermark.origin("t", 2), 11 * H)).isEqualTo(w.advance(Watermark.origin("t", 2), 11 * H)).isEqualTo(10 * H);
    assertThat(restarted.advance(Watermark.origin("t", 0), 13 * H)).isEqualTo(w.advance(Watermark.origin("t", 0), 13 * H)).isEqualTo(11 * H);
    assertThat(store).containsEntry(Watermark.WATERMARK, 11 * H).containsEntry(Watermark.origin("t", 2), 11 * H);
  }

  @Test
  void theSingleStreamTimeOfEarlierVersionsIsALowerBound() {
    Watermark upgraded = new Watermark(30 * 24 * H, (k, v) -> {});
    upgraded.restore(Watermark.LEGACY_STREAM_TIME, 10 * H);
    assertThat(upgraded.advance(Watermark.origin("t", 0), 5 * H)).isEqualTo(10 * H);
  }
}
