package dev.tessera.stream.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * The event time against which a tiling task judges lateness and closes tiles, as Flink does with
 * watermarks: the minimum over the origins (source partitions) of each origin's stream time, not
 * the newest event time seen. The repartition topic interleaves the source partitions in chunks, so
 * the newest event time of the task can run far ahead of events of another source partition that are
 * still on their way; judged against it, a backlog would be dead-lettered as late.
 *
 * <ul>
 *   <li>An origin's stream time is the newest event time seen on it (it only moves forward).
 *   <li>An origin this task has never heard of does not hold the watermark back (it is unknown),
 *       unless it is {@linkplain #expect expected}: the source partitions with records when the job
 *       started. Their events may come after hours of another partition's (the repartition topic
 *       delivers a partition's backlog in big chunks), so the watermark waits for them.
 *   <li>An idle origin holds it back (fewer late events: the safe side), but never by more than
 *       {@code maxLag} behind the newest origin: an event older than that could not reach Redis
 *       anyway (tiles older than the maximum retention are trimmed), and the task's tiles must
 *       close some time.
 *   <li>The watermark never moves back, even when an origin first heard of now is behind it: tiles
 *       behind it may have left the store already, and rebuilding one from nothing would overwrite
 *       its full tile in Redis with a partial one.
 * </ul>
 *
 * Every change is handed to the {@link Sink} (a changelogged store), so a restarted task resumes
 * from the same times and decides every replayed event as the first run did.
 */
final class Watermark {
  /** Store key of the watermark; an origin's key is its name, which starts with {@link #ORIGIN}. */
  static final String WATERMARK = "watermark";
  static final String ORIGIN = "origin/";
  /** The key of the single stream time of versions before the watermark: a lower bound on restore. */
  static final String LEGACY_STREAM_TIME = "stream-time";

  /** Where the times go when they change. */
  interface Sink {
    void put(String key, long value);
  }

  private final long maxLag;
  private final Sink sink;
  private final Map<String, Long> origins = new HashMap<>();
  private long newest = Long.MIN_VALUE;
  private long min = Long.MIN_VALUE;
  private long watermark = Long.MIN_VALUE;

  /** The name of a source partition as an origin: its key in the store. */
  static String origin(String topic, int partition) {
    return ORIGIN + topic + "/" + partition;
  }

  Watermark(long maxLag, Sink sink) {
    if (maxLag < 0) throw new IllegalArgumentException("maxLag must not be negative");
    this.maxLag = maxLag;
    this.sink = sink;
  }

  /** Takes one entry of the store back (task start); not written again. */
  void restore(String key, long value) {
    if (key.startsWith(ORIGIN)) {
      origins.merge(key, value, Math::max);
      newest = Math.max(newest, value);
      min = minOfOrigins();
    } else if (key.equals(WATERMARK) || key.equals(LEGACY_STREAM_TIME)) {
      watermark = Math.max(watermark, value);
      newest = Math.max(newest, value);
    }
  }

  /**
   * An origin whose events are on their way (a source partition with records when the job started):
   * until it is heard from, the watermark does not move (except by {@code maxLag}). Not stored: a
   * restarted task is told again, and it knows by then every origin it has heard from.
   */
  void expect(String origin) {
    if (origins.putIfAbsent(origin, Long.MIN_VALUE) == null) min = Long.MIN_VALUE;
  }

  /**
   * The origin's stream time is now at least {@code originTime}; returns the watermark after it.
   * Call it before judging the event that carried the time: the time includes that event.
   */
  long advance(String origin, long originTime) {
    Long before = origins.get(origin);
    if (before != null && before >= originTime) return watermark;
    origins.put(origin, originTime);
    sink.put(origin, originTime);
    if (originTime > newest) newest = originTime;
    // Times only grow, so the minimum changes only when the origin was the minimum, or is new.
    if (before == null) min = origins.size() == 1 ? originTime : Math.min(min, originTime);
    else if (before == min) min = minOfOrigins();
    long next = Math.max(watermark, Math.max(min, saturatedMinus(newest, maxLag)));
    if (next != watermark) {
      watermark = next;
      sink.put(WATERMARK, next);
    }
    return watermark;
  }

  long watermark() {
    return watermark;
  }

  /** The newest stream time of any origin (the newest event time of the stream, as far as known). */
  long newest() {
    return newest;
  }

  private long minOfOrigins() {
    long m = Long.MAX_VALUE;
    for (long t : origins.values()) m = Math.min(m, t);
    return origins.isEmpty() ? Long.MIN_VALUE : m;
  }

  private static long saturatedMinus(long t, long d) {
    return t < Long.MIN_VALUE + d ? Long.MIN_VALUE : t - d;
  }
}
