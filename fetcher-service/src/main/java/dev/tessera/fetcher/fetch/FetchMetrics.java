package dev.tessera.fetcher.fetch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one GroupBy, looked up once rather than on every fetch (README "Metrics"):
 * {@code tessera.fetch.latency} and {@code tessera.fetch.redis.latency} as percentile histograms
 * (p50/p95/p99 with Prometheus' {@code histogram_quantile}, which aggregates across instances;
 * Micrometer's Prometheus registry does not export client-side percentiles next to a histogram),
 * {@code tessera.fetch.keys} (keys per request), {@code tessera.fetch.stale} and
 * {@code tessera.fetch.errors{kind}} for keys that failed.
 */
public final class FetchMetrics {
  private final MeterRegistry registry;
  private final String groupBy;
  final Timer latency;
  final Timer redis;
  final DistributionSummary keys;
  final Counter stale;
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();

  FetchMetrics(MeterRegistry registry, String groupBy) {
    this.registry = registry;
    this.groupBy = groupBy;
    this.latency = latency(registry, "tessera.fetch.latency", "groupBy", groupBy);
    this.redis = redisLatency(registry, "tessera.fetch.redis.latency", "groupBy", groupBy);
    this.keys = perRequest(registry, "tessera.fetch.keys", "groupBy", groupBy, "keys per fetch request");
    this.stale = Counter.builder("tessera.fetch.stale").tag("groupBy", groupBy)
        .description("results served from batch data a day or more old").register(registry);
  }

  /** Time to serve a fetch, as a percentile histogram from 100 microseconds (a single-key fetch takes well under a millisecond). */
  public static Timer latency(MeterRegistry registry, String name, String tag, String value) {
    return Timer.builder(name).tag(tag, value)
        .description("time to serve a fetch, from request to values (JSON writing excluded)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(5))
        .register(registry);
  }

  /** Time of the one pipelined Redis round trip of a fetch, as a percentile histogram. */
  public static Timer redisLatency(MeterRegistry registry, String name, String tag, String value) {
    return Timer.builder(name).tag(tag, value)
        .description("time of the one pipelined Redis round trip of a fetch")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(1))
        .register(registry);
  }

  /** Keys (or rows) per request, in buckets from 1 to 1000. */
  public static DistributionSummary perRequest(MeterRegistry registry, String name, String tag, String value, String description) {
    return DistributionSummary.builder(name).tag(tag, value).description(description)
        .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000).register(registry);
  }

  void keyFailed(String kind) {
    errors.computeIfAbsent(kind, k -> errorCounter(registry, groupBy, k)).increment();
  }

  static Counter errorCounter(MeterRegistry registry, String groupBy, String kind) {
    return Counter.builder("tessera.fetch.errors").tag("groupBy", groupBy).tag("kind", kind)
        .description("failed fetches (whole requests) and failed keys, by kind").register(registry);
  }
}
