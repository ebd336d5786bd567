package dev.tessera.fetcher.join;

import dev.tessera.fetcher.fetch.FetchMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one Join (README "Metrics"), tagged {@code join}: {@code tessera.join.requests},
 * {@code tessera.join.rows} (rows per request), {@code tessera.join.latency} and
 * {@code tessera.join.redis.latency} (percentile histograms, as the GroupBy fetch's),
 * {@code tessera.join.part_failures{part, kind}}, {@code tessera.join.derivation_errors} and
 * {@code tessera.join.stale{part}}. Failed requests are counted in {@code tessera.join.errors{kind}}.
 */
final class JoinMetrics {
  private final MeterRegistry registry;
  private final String join;
  final Counter requests;
  final DistributionSummary rows;
  final Timer latency;
  final Timer redis;
  final Counter derivationErrors;
  private final Map<String, Counter> partFailures = new ConcurrentHashMap<>();
  private final Map<String, Counter> stale = new ConcurrentHashMap<>();

  JoinMetrics(MeterRegistry registry, String join) {
    this.registry = registry;
    this.join = join;
    this.requests = Counter.builder("tessera.join.requests").tag("join", join).description("Join fetch requests served").register(registry);
    this.rows = FetchMetrics.perRequest(registry, "tessera.join.rows", "join", join, "rows per Join fetch request");
    this.latency = FetchMetrics.latency(registry, "tessera.join.latency", "join", join);
    this.redis = FetchMetrics.redisLatency(registry, "tessera.join.redis.latency", "join", join);
    this.derivationErrors = Counter.builder("tessera.join.derivation_errors").tag("join", join)
        .description("derivations that failed to evaluate on a served row (their values are null)").register(registry);
  }

  void partFailed(String part, String kind) {
    partFailures.computeIfAbsent(part + "/" + kind, k -> Counter.builder("tessera.join.part_failures").tag("join", join).tag("part", part)
        .tag("kind", kind).description("parts of served rows that failed (their features are null), by kind").register(registry)).increment();
  }

  void stale(String part) {
    stale.computeIfAbsent(part, k -> Counter.builder("tessera.join.stale").tag("join", join).tag("part", part)
        .description("parts of served rows whose batch data is a day or more old").register(registry)).increment();
  }
}
