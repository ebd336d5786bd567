package dev.tessera.fetcher.logging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One served GroupBy result as the feature log keeps it (README "Feature log"): what was asked
 * (GroupBy, version, keys, time), what was answered (features, freshness) and when and by which
 * request. The JSON form is what the batch ingest job lands in the warehouse for the consistency
 * check ({@code kind} tells it from a Join's {@link JoinLogRecord}):
 *
 * <pre>{"kind": "groupby", "groupBy": "fraud_features", "version": 3, "keys": {"user_id": "123"}, "asOf": 1732536000000,
 *  "features": {"amount_sum_1h": 45.5, ...},
 *  "meta": {"version": 3, "batchEnd": 1732492800000, "latestTileEnd": 1732535700000, "asOf": 1732536000000, "stale": false},
 *  "loggedAt": 1732536000012, "requestId": "5d0c..."}</pre>
 */
public record FeatureLogRecord(String groupBy, int version, Map<String, Object> keys, long asOf, Map<String, Object> features,
    Long batchEnd, Long latestTileEnd, boolean stale, long loggedAt, String requestId) implements FeatureLogEntry {
  public static final String KIND = "groupby";

  @Override
  public String topicKey() {
    return groupBy;
  }

  @Override
  public Map<String, Object> toJsonTree() {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("version", version);
    meta.put("batchEnd", batchEnd);
    meta.put("latestTileEnd", latestTileEnd);
    meta.put("asOf", asOf);
    meta.put("stale", stale);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", KIND);
    m.put("groupBy", groupBy);
    m.put("version", version);
    m.put("keys", keys);
    m.put("asOf", asOf);
    m.put("features", features);
    m.put("meta", meta);
    m.put("loggedAt", loggedAt);
    m.put("requestId", requestId);
    return m;
  }
}
