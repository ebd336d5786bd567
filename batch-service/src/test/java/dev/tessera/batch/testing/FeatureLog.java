package dev.tessera.batch.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** Feature log records as the fetcher produces them (the consistency tests land them with the feature-log ingest). */
public final class FeatureLog {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long DAY = 86_400_000L;

  private FeatureLog() {}

  /** The fetcher's FeatureLogRecord JSON, field for field. */
  public static String record(String groupBy, int version, String user, long t, Map<String, Object> features, boolean stale) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("version", version);
    meta.put("batchEnd", Math.floorDiv(t, DAY) * DAY);
    meta.put("latestTileEnd", t - t % 300_000L);
    meta.put("asOf", t);
    meta.put("stale", stale);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("groupBy", groupBy);
    m.put("version", version);
    m.put("keys", Map.of("user_id", user));
    m.put("asOf", t);
    m.put("features", features);
    m.put("meta", meta);
    m.put("loggedAt", t + 3);
    m.put("requestId", "req-" + t);
    return JSON.writeValueAsString(m);
  }
}
