package dev.tessera.fetcher.logging;

import dev.tessera.agg.registry.PublishedJoin;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One served Join row as the feature log keeps it (README "Feature log"), next to the GroupBy
 * records on the same topic and in the same layout, with {@code "kind": "join"}, the Join's name
 * under {@code join} (there is no {@code groupBy}: a reader of GroupBy records alone does not
 * mistake it for one) and its version under {@code version}. {@code features} holds every output
 * column (request fields, the parts' features, derivations); {@code meta} is the response's: the
 * Join version, the time, and per part its GroupBy, GroupBy version and freshness, or its error
 * (a failed part's features are null, not values to check). Rows whose parts all failed are not
 * logged.
 *
 * <pre>{"kind": "join", "join": "fraud_model", "version": 2, "keys": {"buyer": "123", "shop": "m9"},
 *  "asOf": 1732536000000, "status": "Success",
 *  "features": {"amount_now": 12.5, "channel": "web", "buyer_amount_sum_1h": 45.5, ..., "amount_vs_avg": 0.27},
 *  "meta": {"joinVersion": 2, "asOf": 1732536000000, "parts": {
 *     "buyer": {"groupBy": "fraud_features", "version": 3, "batchEnd": 1732492800000, "latestTileEnd": 1732535700000, "stale": false},
 *     "merchant_features": {"groupBy": "merchant_features", "version": 1, "batchEnd": null, "latestTileEnd": null, "stale": null,
 *                           "error": "stored data of this key cannot be read: ..."}}},
 *  "loggedAt": 1732536000012, "requestId": "5d0c..."}</pre>
 *
 * @param meta the response's {@code meta} of the row, serialized as it is
 */
public record JoinLogRecord(String join, int version, Map<String, Object> keys, long asOf, String status, Map<String, Object> features,
    Object meta, long loggedAt, String requestId) implements FeatureLogEntry {
  public static final String KIND = "join";

  @Override
  public String topicKey() {
    // as on the registry topic: Joins and GroupBys have their own namespaces
    return PublishedJoin.topicKey(join);
  }

  @Override
  public Map<String, Object> toJsonTree() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", KIND);
    m.put("join", join);
    m.put("version", version);
    m.put("keys", keys);
    m.put("asOf", asOf);
    m.put("status", status);
    m.put("features", features);
    m.put("meta", meta);
    m.put("loggedAt", loggedAt);
    m.put("requestId", requestId);
    return m;
  }
}
