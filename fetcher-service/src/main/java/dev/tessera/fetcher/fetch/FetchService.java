package dev.tessera.fetcher.fetch;

import dev.tessera.agg.tile.OnlineResult;
import dev.tessera.fetcher.definitions.ServedDefinitions;
import dev.tessera.fetcher.logging.FeatureLogRecord;
import dev.tessera.fetcher.logging.FeatureLogger;
import dev.tessera.fetcher.store.FeatureStore;
import dev.tessera.fetcher.store.StoreRead;
import dev.tessera.fetcher.system.LogThrottle;
import dev.tessera.support.LiveGroupBy;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A fetch, start to end: the GroupBy's live version, the keys checked against its key schema, one
 * pipelined Redis read for all keys (planned by {@link PartPlan}, as a Join's are), a merge per key (a key that fails does not fail the others),
 * metrics and the sampled feature log.
 */
public final class FetchService {
  private static final Logger log = LoggerFactory.getLogger(FetchService.class);

  private final Plans<LiveGroupBy, FetchPlan> plans;
  private final FeatureStore store;
  private final FeatureLogger featureLog;
  private final InstantSource clock;
  private final int maxKeys;
  private final LogThrottle logThrottle;

  public FetchService(ServedDefinitions definitions, FeatureStore store, FeatureLogger featureLog, InstantSource clock,
      MeterRegistry meters, int maxKeys) {
    this.plans = new Plans<>(definitions::groupBy, live -> new FetchPlan(live, meters), plan -> plan.live);
    this.store = store;
    this.featureLog = featureLog;
    this.clock = clock;
    this.maxKeys = maxKeys;
    this.logThrottle = new LogThrottle(clock, Duration.ofSeconds(10));
  }

  /** Keys of a POST body (a JSON array of key objects). */
  public FetchResponse fetch(String groupBy, JsonNode body, String atMillis, String requestId) {
    return fetch(groupBy, schema -> schema.fromJsonArray(body, maxKeys), atMillis, requestId);
  }

  /** The one key of a GET (query parameters, {@code atMillis} removed). */
  public FetchResponse fetchOne(String groupBy, Map<String, List<String>> keyParams, String atMillis, String requestId) {
    return fetch(groupBy, schema -> List.of(schema.fromQuery(keyParams)), atMillis, requestId);
  }

  private FetchResponse fetch(String groupBy, Function<KeySchema, List<EntityKey>> parse, String atMillis, String requestId) {
    long started = System.nanoTime();
    FetchPlan plan = plans.require(groupBy);
    long t = asOf(atMillis, plan.name);
    List<EntityKey> keys = parse.apply(plan.keys);
    plan.metrics.keys.record(keys.size());
    if (keys.isEmpty()) return new FetchResponse(List.of());

    PartPlan.Reads reads = plan.reads.plan(keys.size(), (row, part) -> keys.get(row).values());
    long redisStarted = System.nanoTime();
    List<StoreRead> stored = store.read(plan.name, reads.requests(t));
    plan.metrics.redis.record(System.nanoTime() - redisStarted, TimeUnit.NANOSECONDS);

    List<FetchResult> results = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      EntityKey key = keys.get(i);
      switch (reads.outcome(stored, i, 0, t)) {
        case EntityMerger.Merged(OnlineResult r) -> {
          if (r.stale()) plan.metrics.stale.increment();
          results.add(FetchResult.success(key.byName(), r.features(),
              new ResultMeta(plan.version, r.batchEnd(), r.latestTileEnd(), r.asOf(), r.stale())));
          if (featureLog.sample()) {
            featureLog.offer(new FeatureLogRecord(plan.name, plan.version, key.byName(), r.asOf(), r.features(), r.batchEnd(),
                r.latestTileEnd(), r.stale(), clock.millis(), requestId));
          }
        }
        case EntityMerger.Failed(String kind, String message) -> {
          plan.metrics.keyFailed(kind);
          long suppressed = logThrottle.admit(plan.name + "/" + kind);
          if (suppressed >= 0) {
            log.warn("GroupBy {} v{} key {} failed ({}): {} [request {}; {} similar failures not logged]", plan.name, plan.version,
                key.byName(), kind, message, requestId, suppressed);
          }
          results.add(FetchResult.failure(key.byName(), message));
        }
      }
    }
    plan.metrics.latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    return new FetchResponse(results);
  }

  private long asOf(String atMillis, String groupBy) {
    return asOf(atMillis, clock, groupBy);
  }

  /**
   * The {@code t} of a fetch: {@code atMillis} when given, else now.
   *
   * @throws InvalidRequestException when {@code atMillis} is not epoch millis >= 0
   */
  public static long asOf(String atMillis, InstantSource clock, String groupBy) {
    if (atMillis == null || atMillis.isBlank()) return clock.millis();
    try {
      long t = Long.parseLong(atMillis.strip());
      if (t >= 0) return t;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw InvalidRequestException.invalidParameter("atMillis", "'" + atMillis + "' is not a time in epoch milliseconds (an integer >= 0)", groupBy);
  }
}
