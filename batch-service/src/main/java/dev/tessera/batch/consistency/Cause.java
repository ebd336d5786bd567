package dev.tessera.batch.consistency;

import java.util.List;
import java.util.Locale;

/**
 * Why a served value differs from the recomputed one, as far as the logs can tell: what a healthy
 * live system produces has a cause, and {@link #UNEXPLAINED} is what is left (DESIGN.md "Consistency
 * check"). The order is {@link Attribution}'s: the first that applies is the mismatch's cause.
 */
public enum Cause {
  /** The logged GroupBy version is not the one the values were recomputed with. */
  VERSION_MISMATCH,
  /** An event inside the feature's window as of t reached the stream too late and was dead-lettered (it is in the warehouse). */
  LATE_EVENT,
  /**
   * An event inside the feature's window as of t reached Kafka (its record time) after the fetch, or
   * too shortly before it to be in Redis yet: the fetch could not have seen it (freshness, a
   * back-dated event). Its delay (fetch time minus event time) is reported per feature.
   */
  ARRIVED_AFTER_FETCH,
  /**
   * The fetch asked for an {@code atMillis} inside a tile, and an event at or after {@code atMillis}
   * of that tile had reached Kafka before the fetch: the tile already held it (a documented inexactness).
   */
  AT_MILLIS_IN_TILE,
  /**
   * An event inside the window had reached Kafka well before the fetch, but the served data's newest
   * tile ended before that event's tile: the stream had not written it yet (an outage, or lag).
   */
  STREAM_BEHIND,
  /** The fetcher said the batch IR was stale ({@code meta.stale}): its windows could cover up to a day more. */
  STALE_BATCH,
  /** None of the above: a real skew between the pipelines. Must be 0. */
  UNEXPLAINED;

  /** The causes the report tables had before the live-system causes: their columns come first. */
  static final List<Cause> FIRST_COLUMNS = List.of(LATE_EVENT, STALE_BATCH, VERSION_MISMATCH, UNEXPLAINED);
  /** The causes added after: their columns follow the tables' others (added to older tables). */
  static final List<Cause> ADDED_COLUMNS = List.of(ARRIVED_AFTER_FETCH, AT_MILLIS_IN_TILE, STREAM_BEHIND);

  /** The cause's count column in the stats and report tables. */
  String column() {
    return name().toLowerCase(Locale.ROOT);
  }
}
