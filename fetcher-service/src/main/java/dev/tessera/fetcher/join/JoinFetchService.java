package dev.tessera.fetcher.join;

import dev.tessera.agg.join.CompiledPart;
import dev.tessera.agg.join.JoinRow;
import dev.tessera.agg.tile.OnlineResult;
import dev.tessera.fetcher.definitions.DefinitionsUnavailableException;
import dev.tessera.fetcher.definitions.JoinDefinitions;
import dev.tessera.fetcher.fetch.EntityMerger;
import dev.tessera.fetcher.fetch.FetchService;
import dev.tessera.fetcher.join.JoinRequestSchema.RequestRow;
import dev.tessera.fetcher.join.JoinResponse.Part;
import dev.tessera.fetcher.join.JoinResponse.Status;
import dev.tessera.fetcher.logging.FeatureLogger;
import dev.tessera.fetcher.logging.JoinLogRecord;
import dev.tessera.fetcher.store.FeatureStore;
import dev.tessera.fetcher.store.StoreRead;
import dev.tessera.fetcher.store.StoreRequest;
import dev.tessera.fetcher.system.LogThrottle;
import dev.tessera.fetcher.system.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A Join fetch, start to end (DESIGN-joins.md "Online: one call for the whole vector"): the Join's
 * compiled plan, the rows checked against its request schema, every (GroupBy version, entity) that
 * any part of any row needs, each once, read in <b>one</b> pipelined Redis round trip through the
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

  private final JoinPlans plans;
  private final FeatureStore store;
  private final FeatureLogger featureLog;
  private final InstantSource clock;
  private final int maxRows;
  private final LogThrottle logThrottle;

  public JoinFetchService(JoinDefinitions definitions, FeatureStore store, FeatureLogger featureLog, InstantSource clock, MeterRegistry meters,
      int maxRows) {
    this.plans = new JoinPlans(definitions, meters);
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

    Reads reads = new Reads(plan, rows);
    long redisStarted = System.nanoTime();
    List<StoreRead> stored = store.read(plan.name, reads.requests());
    m.redis.record(System.nanoTime() - redisStarted, TimeUnit.NANOSECONDS);
    EntityMerger.Outcome[][] outcomes = new EntityMerger.Outcome[plan.groups.size()][];
    for (int g = 0; g < outcomes.length; g++) outcomes[g] = new EntityMerger.Outcome[stored.get(g).entities().size()];

    List<JoinResponse.Result> results = new ArrayList<>(rows.size());
    int parts = plan.parts.size();
    for (int r = 0; r < rows.size(); r++) {
      RequestRow row = rows.get(r);
      List<Map<String, Object>> partFeatures = new ArrayList<>(parts);
      Map<String, Part> partMeta = LinkedHashMap.newLinkedHashMap(parts);
      int failed = 0;
      for (int p = 0; p < parts; p++) {
        int g = plan.partGroup[p];
        int e = reads.entity(r, p);
        EntityMerger.Outcome o = outcomes[g][e];
        if (o == null) {
          StoreRead read = stored.get(g);
          o = outcomes[g][e] = plan.groups.get(g).merger().merge(read.entities().get(e), read.uploadMarker(), t);
        }
        CompiledPart part = plan.parts.get(p);
        switch (o) {
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

  /**
   * The reads of a request: per GroupBy version of the plan, the distinct entities its parts need
   * over all rows, and for each (row, part) which of them it is.
   */
  private static final class Reads {
    private final JoinPlan plan;
    private final List<Map<List<Object>, Integer>> entities;
    private final int[] entityOf;
    private final int parts;

    Reads(JoinPlan plan, List<RequestRow> rows) {
      this.plan = plan;
      this.parts = plan.parts.size();
      this.entities = new ArrayList<>(plan.groups.size());
      for (int g = 0; g < plan.groups.size(); g++) entities.add(LinkedHashMap.newLinkedHashMap(rows.size()));
      this.entityOf = new int[rows.size() * parts];
      for (int r = 0; r < rows.size(); r++) {
        Map<String, Object> fields = rows.get(r).fields();
        for (int p = 0; p < parts; p++) {
          // never null: online key columns are checked non-null
          List<Object> key = plan.parts.get(p).keyOf(fields::get);
          Map<List<Object>, Integer> group = entities.get(plan.partGroup[p]);
          Integer at = group.putIfAbsent(key, group.size());
          entityOf[r * parts + p] = at == null ? group.size() - 1 : at;
        }
      }
    }

    int entity(int row, int part) {
      return entityOf[row * parts + part];
    }

    List<StoreRequest> requests() {
      List<StoreRequest> requests = new ArrayList<>(entities.size());
      for (int g = 0; g < entities.size(); g++) {
        JoinPlan.Group group = plan.groups.get(g);
        requests.add(new StoreRequest(group.groupBy(), group.version(), new ArrayList<>(entities.get(g).keySet())));
      }
      return requests;
    }
  }
}
