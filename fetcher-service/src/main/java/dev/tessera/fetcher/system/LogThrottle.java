package dev.tessera.fetcher.system;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per topic and interval, with the number of occurrences in between: a
 * corrupt hot key or a Redis outage at thousands of fetches a second must not flood the log (the
 * metrics count every one).
 */
public final class LogThrottle {
  private record Slot(AtomicLong nextAt, AtomicLong suppressed) {}

  private final InstantSource clock;
  private final long intervalMillis;
  private final Map<String, Slot> slots = new ConcurrentHashMap<>();

  public LogThrottle(InstantSource clock, Duration interval) {
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  /**
   * @return -1 when this occurrence should not be logged, else how many were suppressed before it
   */
  public long admit(String topic) {
    if (slots.size() > 10_000) slots.clear(); // bounded: topics include GroupBy names from requests
    Slot s = slots.computeIfAbsent(topic, t -> new Slot(new AtomicLong(Long.MIN_VALUE), new AtomicLong()));
    long now = clock.millis();
    long next = s.nextAt().get();
    if (now >= next && s.nextAt().compareAndSet(next, now + intervalMillis)) return s.suppressed().getAndSet(0);
    s.suppressed().incrementAndGet();
    return -1;
  }
}
