package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.Window;
import dev.tessera.batch.consistency.Attribution.Arrivals;
import dev.tessera.batch.consistency.Attribution.Attributed;
import dev.tessera.batch.consistency.Attribution.Fetch;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md "Consistency check": what a healthy live system produces has a cause. Each case is one
 * entity's events (event time, record time) and one mismatching fetch; 5-minute tiles, a 1 h window.
 */
class AttributionTest {
  static final long MIN = 60_000L;
  static final long TILE = 5 * MIN;
  static final long T = 1_000 * 3_600_000L; // a tile boundary
  static final Window HOUR = Window.parse("1h");
  static final long[] NONE = {};

  static Arrivals events(long[]... eventAndRecordTimes) {
    long[] times = new long[eventAndRecordTimes.length];
    long[] recorded = new long[eventAndRecordTimes.length];
    for (int i = 0; i < times.length; i++) {
      times[i] = eventAndRecordTimes[i][0];
      recorded[i] = eventAndRecordTimes[i][1];
    }
    return new Arrivals(times, recorded);
  }

  static Attributed cause(Fetch f, Arrivals a) {
    return Attribution.cause(2, 2, f, HOUR, NONE, a, false);
  }

  /** A fetch without atMillis: t is when it ran (logged a few ms later). */
  static Fetch now(long t) {
    return new Fetch(t, t + 3, t - TILE, null, TILE);
  }

  @Test
  void aBackDatedEventThatReachedKafkaAfterTheFetchExplainsItWithItsDelay() {
    Attributed a = cause(now(T), events(new long[] {T - 20 * MIN, T + 2 * MIN}));
    assertThat(a.cause()).isEqualTo(Cause.ARRIVED_AFTER_FETCH);
    assertThat(a.delay()).isEqualTo(20 * MIN + 3);
    assertThat(FreshnessDelay.of(a.delay())).isEqualTo(FreshnessDelay.UP_TO_1H);
  }

  @Test
  void anEventTooFreshToBeInRedisExplainsAFetchRightAfterIt() {
    Attributed a = cause(now(T), events(new long[] {T - 200, T - 150}));
    assertThat(a.cause()).isEqualTo(Cause.ARRIVED_AFTER_FETCH);
    assertThat(FreshnessDelay.of(a.delay())).isEqualTo(FreshnessDelay.UP_TO_1S);
  }

  @Test
  void anEventOutsideTheWindowOrAtTExplainsNothing() {
    assertThat(cause(now(T), events(new long[] {T - 2 * 3_600_000L, T + MIN})).cause()).isEqualTo(Cause.UNEXPLAINED);
    assertThat(cause(now(T), events(new long[] {T, T + MIN})).cause()).isEqualTo(Cause.UNEXPLAINED);
  }

  @Test
  void atMillisInsideATileThatHeldALaterEventIsTheTilesInexactness() {
    long t = T + 2 * MIN; // inside [T, T + 5m)
    Fetch replay = new Fetch(t, T + 3_600_000L, T + TILE, null, TILE);
    assertThat(cause(replay, events(new long[] {T + 3 * MIN, T + 3 * MIN})).cause()).isEqualTo(Cause.AT_MILLIS_IN_TILE);
    assertThat(cause(replay, events(new long[] {T + 6 * MIN, T + 6 * MIN})).cause()).as("the next tile was not read").isEqualTo(Cause.UNEXPLAINED);
    Fetch aligned = new Fetch(T, T + 3_600_000L, T, null, TILE);
    assertThat(cause(aligned, events(new long[] {T + MIN, T + MIN})).cause()).as("a tile-aligned t is exact").isEqualTo(Cause.UNEXPLAINED);
  }

  @Test
  void anEventInKafkaLongBeforeTheFetchButPastTheServedTilesIsTheStreamBehind() {
    Fetch duringOutage = new Fetch(T, T + 3, T - 30 * MIN, null, TILE);
    assertThat(cause(duringOutage, events(new long[] {T - 10 * MIN, T - 10 * MIN})).cause()).isEqualTo(Cause.STREAM_BEHIND);
    Fetch healthy = new Fetch(T, T + 3, T, null, TILE);
    assertThat(cause(healthy, events(new long[] {T - 10 * MIN, T - 10 * MIN})).cause()).as("its tile was written: a real skew")
        .isEqualTo(Cause.UNEXPLAINED);
    Fetch batchCovered = new Fetch(T, T + 3, null, T - 5 * MIN, TILE);
    assertThat(cause(batchCovered, events(new long[] {T - 10 * MIN, T - 10 * MIN})).cause()).as("before the batch end: in the batch IR")
        .isEqualTo(Cause.UNEXPLAINED);
  }

  @Test
  void theEarlierCausesComeFirst() {
    Arrivals fresh = events(new long[] {T - MIN, T + MIN});
    assertThat(Attribution.cause(1, 2, now(T), HOUR, NONE, fresh, true).cause()).isEqualTo(Cause.VERSION_MISMATCH);
    assertThat(Attribution.cause(2, 2, now(T), HOUR, new long[] {T - 2 * MIN}, fresh, true).cause()).isEqualTo(Cause.LATE_EVENT);
    assertThat(Attribution.cause(2, 2, now(T), HOUR, NONE, Arrivals.NONE, true).cause()).isEqualTo(Cause.STALE_BATCH);
  }
}
