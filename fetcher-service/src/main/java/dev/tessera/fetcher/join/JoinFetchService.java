package dev.tessera.fetcher.join;

import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.JoinRow;
import dev.tessera.agg.tile.OnlineResult;
import dev.tessera.fetcher.definitions.DefinitionsUnavailableException;
import dev.tessera.fetcher.definitions.ServedDefinitions;
import dev.tessera.fetcher.fetch.EntityMerger;
import dev.tessera.fetcher.fetch.FetchService;
import dev.tessera.fetcher.fetch.PartPlan;
import dev.tessera.fetcher.fetch.Plans;
import dev.tessera.fetcher.join.JoinRequestSchema.RequestRow;
import dev.tessera.fetcher.join.JoinResponse.Part;
import dev.tessera.fetcher.join.JoinResponse.Status;
import dev.tessera.fetcher.logging.FeatureLogger;
import dev.tessera.fetcher.logging.JoinLogRecord;
import dev.tessera.fetcher.store.FeatureStore;
import dev.tessera.fetcher.store.StoreRead;
import dev.tessera.fetcher.system.LogThrottle;
import dev.tessera.fetcher.system.ProblemException;
import dev.tessera.support.JoinResolution;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A Join fetch, start to end (DESIGN-joins.md "Online: one call for the whole vector"): the Join's
 * compiled plan, the rows checked against its request schema, every (GroupBy version, entity) that
 * any part of any row needs, each once (the GroupBy fetch's planner, {@link PartPlan}), read in <b>one</b> pipelined Redis round trip through the
 * GroupBy fetch's {@link FeatureStore}, merged by the GroupBy fetch's {@link EntityMerger} (once per
 * distinct entity), then per row common-agg's {@code CompiledJoin.row} (the code the training set
 * runs) puts the request fields, the parts' features and the derivations together. A part that
 * fails fails alone: its features are null and its meta says why.
 */
public final class JoinFetchService {
  private static final Logger log = LoggerFactory.getLogger(JoinFetchService.class);

  /** The body of a POST, read once the Join is known (a 404 comes before a 400). */
  @FunctionalInterface
  public interface Body {
    JsonNode read() throws IOException;
  }

  @FunctionalInterface
  private interface Rows {
    List<RequestRow> parse(JoinRequestSchema schema) throws IOException;
  }

  private final Plans<JoinResolution, JoinPlan> plans;
  private final FeatureStore store;
  private final FeatureLogger featureLog;
  private final InstantSource clock;
  private final int maxRows;
  private final LogThrottle logThrottle;

  public JoinFetchService(ServedDefinitions definitions, FeatureStore store, FeatureLogger featureLog, InstantSource clock, MeterRegistry meters,
      int maxRows) {
    Map<String, JoinMetrics> metrics = new ConcurrentHashMap<>();
    this.plans = new Plans<>(definitions::join,
        join -> new JoinPlan(join, metrics.computeIfAbsent(join.name(), n -> new JoinMetrics(meters, n))), plan -> plan.servable);
    this.store = store;
    this.featureLog = featureLog;
    this.clock = clock;
    this.maxRows = maxRows;
    this.logThrottle = new LogThrottle(clock, Duration.ofSeconds(10));
  }

  /** The rows of a POST body (a JSON array of request objects). */
  public JoinResponse fetch(String join, Body body, String atMillis, String requestId) throws IOException {
    return fetch(join, schema -> schema.fromJsonArray(body.read(), maxRows), atMillis, requestId);
  }

  /** The one row of a GET (query parameters, {@code atMillis} removed). */
  public JoinResponse fetchOne(String join, Map<String, List<String>> params, String atMillis, String requestId) throws IOException {
    return fetch(join, schema -> List.of(schema.fromQuery(params)), atMillis, requestId);
  }

  private JoinResponse fetch(String join, Rows parse, String atMillis, String requestId) throws IOException {
    long started = System.nanoTime();
    JoinPlan plan;
    try {
      plan = plans.require(join);
    } catch (DefinitionsUnavailableException e) {
      throw e.forJoin(null);
    }
    try {
      return serve(plan, parse, atMillis, requestId, started);
    } catch (ProblemException e) {
      throw e.forJoin(plan.name);
    }
  }

  private JoinResponse serve(JoinPlan plan, Rows parse, String atMillis, String requestId, long started) throws IOException {
    JoinMetrics m = plan.metrics;
    long t = FetchService.asOf(atMillis, clock, null);
    List<RequestRow> rows = parse.parse(plan.schema);
    m.requests.increment();
    m.rows.record(rows.size());
    if (rows.isEmpty()) return new JoinResponse(List.of());

    // never null: online key columns are checked non-null
    PartPlan.Reads reads = plan.reads.plan(rows.size(), (r, p) -> plan.parts.get(p).keyOf(rows.get(r).fields()::get));
    long redisStarted = System.nanoTime();
    List<StoreRead> stored = store.read(plan.name, reads.requests(t));
    m.redis.record(System.nanoTime() - redisStarted, TimeUnit.NANOSECONDS);

    List<JoinResponse.Result> results = new ArrayList<>(rows.size());
    int parts = plan.parts.size();
    for (int r = 0; r < rows.size(); r++) {
      RequestRow row = rows.get(r);
      List<Map<String, Object>> partFeatures = new ArrayList<>(parts);
      Map<String, Part> partMeta = LinkedHashMap.newLinkedHashMap(parts);
      int failed = 0;
      for (int p = 0; p < parts; p++) {
        CompiledPart part = plan.parts.get(p);
        switch (reads.outcome(stored, r, p, t)) {
          case EntityMerger.Merged(OnlineResult result) -> {
            partFeatures.add(result.features());
            partMeta.put(plan.partNames[p], new Part(part.groupBy().name(), part.groupByVersion(), result.batchEnd(), result.latestTileEnd(),
                result.stale(), null));
            if (result.stale()) m.stale(plan.partNames[p]);
          }
          case EntityMerger.Failed(String kind, String message) -> {
            partFeatures.add(null);
            partMeta.put(plan.partNames[p], Part.failed(part.groupBy().name(), part.groupByVersion(), message));
            failed++;
            partFailed(plan, p, row, kind, message, requestId);
          }
        }
      }
      JoinRow values = plan.compiled.row(row.fields()::get, partFeatures);
      if (values.derivationErrors() > 0) m.derivationErrors.increment(values.derivationErrors());
      Status status = failed == 0 ? Status.Success : failed < parts ? Status.PartialFailure : Status.Failure;
      JoinResponse.Meta meta = new JoinResponse.Meta(plan.version, t, partMeta, values.derivationErrors());
      results.add(new JoinResponse.Result(status, row.keys(), values.values(), meta));
      if (status != Status.Failure && featureLog.sample()) {
        featureLog.offer(new JoinLogRecord(plan.name, plan.version, row.keys(), t, status.name(), values.values(), meta, clock.millis(),
            requestId));
      }
    }
    m.latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    return new JoinResponse(results);
  }

  private void partFailed(JoinPlan plan, int p, RequestRow row, String kind, String message, String requestId) {
    String part = plan.partNames[p];
    plan.metrics.partFailed(part, kind);
    long suppressed = logThrottle.admit(plan.name + "/" + part + "/" + kind);
    if (suppressed >= 0) {
      log.warn("Join {} v{} part {} (GroupBy {} v{}) of row {} failed ({}): {} [request {}; {} similar failures not logged]", plan.name,
          plan.version, part, plan.parts.get(p).groupBy().name(), plan.parts.get(p).groupByVersion(), row.keys(), kind, message, requestId,
          suppressed);
    }
  }
}
