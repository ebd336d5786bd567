package dev.tessera.fetcher.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.fetcher.join.JoinResponse.Meta;
import dev.tessera.fetcher.join.JoinResponse.Part;
import dev.tessera.fetcher.join.JoinResponse.Result;
import dev.tessera.fetcher.join.JoinResponse.Status;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The hand-written writer writes exactly what the mapper's serializers write for the same response. */
class JoinResponseWriterTest {
  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void writesWhatTheMapperWrites() {
    Map<String, Object> features = new LinkedHashMap<>();
    features.put("amount_now", 12.5);
    features.put("buyer_count_1h", 25L);
    features.put("buyer_avg_24h", 243.17893835616437);
    features.put("buyer_max_7d", null);
    features.put("tiny", 1.0E-7);
    features.put("huge", 1.0E21);
    features.put("whole", 3.0);
    features.put("nan", Double.NaN);
    features.put("inf", Double.NEGATIVE_INFINITY);
    features.put("int", 7);
    features.put("flag", true);
    features.put("text", "a \"quoted\" \u00e9 \n line");
    features.put("last_3", Arrays.asList("x", null, "z"));
    features.put("nested", Map.of("k", 1.5));
    features.put("float", 2.5f);
    Map<String, Object> keys = new LinkedHashMap<>();
    keys.put("buyer", "u1");
    keys.put("shop", 42L);
    Map<String, Part> parts = new LinkedHashMap<>();
    parts.put("buyer", new Part("users", 3, 1_761_955_200_000L, 1_762_041_600_000L, false, null));
    parts.put("shop", Part.failed("shops", 1, "Redis said \"no\""));
    parts.put("pair", new Part("pairs", 2, null, null, true, null));
    Result ok = new Result(Status.PartialFailure, keys, features, new Meta(4, 1_762_041_599_999L, parts, 0));
    Result withErrors = new Result(Status.Success, Map.of("buyer", "u2"), Map.of("ratio", 0.25), new Meta(4, -5L, Map.of(), 2));
    Map<String, Object> nullFeatures = new LinkedHashMap<>();
    nullFeatures.put("a", null);
    Result failed = new Result(Status.Failure, Map.of("buyer", "u3"), nullFeatures,
        new Meta(1, 0L, Map.of("buyer", Part.failed("users", 3, "unreadable")), 0));

    for (JoinResponse r : List.of(new JoinResponse(List.of(ok, withErrors, failed)), new JoinResponse(List.of()),
        new JoinResponse(List.of(failed)))) {
      assertThat(written(r)).isEqualTo(json.writerFor(JoinResponse.class).writeValueAsString(r));
    }
  }

  private String written(JoinResponse r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JoinResponseWriter(json).write(r, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
