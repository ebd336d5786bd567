package dev.tessera.fetcher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The response JSON keeps LONG values integers and DOUBLE values floats, null values present. */
class FetchResponseJsonTest {
  final JsonMapper json = JsonMapper.builder().build();

  @Test
  void successAndFailureShapes() {
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("amount_sum_1h", 3.0);
    features.put("amount_count_1h", 3L);
    features.put("amount_avg_1h", null);
    features.put("merchant_last_k", List.of("a", "b"));
    features.put("amount_sum_7d_by_merchant", Map.of("a", 1.5));
    FetchResponse r = new FetchResponse(List.of(
        FetchResult.success(Map.of("user_id", "u1"), features, new ResultMeta(2, 86_400_000L, null, 90_000_000L, false)),
        FetchResult.failure(Map.of("user_id", "u2"), "stored data of this key cannot be read: x")));
    assertThat(json.writeValueAsString(r)).isEqualTo("{\"results\":["
        + "{\"status\":\"Success\",\"entityKeys\":{\"user_id\":\"u1\"},\"features\":{\"amount_sum_1h\":3.0,\"amount_count_1h\":3,"
        + "\"amount_avg_1h\":null,\"merchant_last_k\":[\"a\",\"b\"],\"amount_sum_7d_by_merchant\":{\"a\":1.5}},"
        + "\"meta\":{\"version\":2,\"batchEnd\":86400000,\"latestTileEnd\":null,\"asOf\":90000000,\"stale\":false}},"
        + "{\"status\":\"Failure\",\"entityKeys\":{\"user_id\":\"u2\"},\"error\":\"stored data of this key cannot be read: x\"}]}");
  }
}
