package dev.tessera.fetcher.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.fetcher.system.ProblemTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Request keys are checked against the GroupBy's key columns and typed as rows carry them. */
class KeySchemaTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  static final CompiledGroupBy G = GroupByCompiler.compile("""
      name: keys_test
      keys: [user_id, shop_id, region, vip]
      sources: [{events: {table: t, schema: {user_id: STRING, shop_id: LONG, region: INT, vip: BOOLEAN, score: DOUBLE, ts: LONG},
                 query: {timeColumn: ts}}}]
      aggregations: [{inputColumn: score, operation: SUM, windows: [1h]}]
      """).orThrow();

  final KeySchema schema = new KeySchema(G);

  @Test
  void typedKeysInKeyOrder() {
    List<EntityKey> keys = schema.fromJsonArray(json("""
        [{"vip": true, "region": 7, "shop_id": 9007199254740993, "user_id": "u1"}]"""), 10);
    assertThat(keys).hasSize(1);
    assertThat(keys.getFirst().values()).containsExactly("u1", 9007199254740993L, 7L, true);
    assertThat(keys.getFirst().byName()).containsExactly(Map.entry("user_id", "u1"), Map.entry("shop_id", 9007199254740993L),
        Map.entry("region", 7L), Map.entry("vip", true));
  }

  @Test
  void aNumberForAStringKeyIsRefusedNotCoerced() {
    assertThatThrownBy(() -> schema.fromJsonArray(json("[{\"user_id\": 123, \"shop_id\": 1, \"region\": 1, \"vip\": false}]"), 10))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
          assertThat(e.type()).isEqualTo(ProblemTypes.INVALID_KEY);
          assertThat(e.problems()).containsExactly(new InvalidRequestException.Problem("$[0].user_id",
              "must be a JSON string (key type STRING), got an integer (123); send it quoted, e.g. \"123\""));
        });
  }

  @Test
  void everyBadKeyIsReportedWithItsPath() {
    InvalidRequestException e = invalid(() -> schema.fromJsonArray(json("""
        [{"user_id": "ok", "shop_id": 1, "region": 1, "vip": false},
         {"user_id": "a", "shop_id": 1.5, "region": 3000000000, "vip": "yes", "color": "red"},
         {"shop_id": 1, "region": 1, "vip": null},
         "u7"]"""), 10));
    assertThat(e.problems()).extracting(InvalidRequestException.Problem::path)
        .containsExactly("$[1].shop_id", "$[1].region", "$[1].vip", "$[1].color", "$[2]", "$[2].vip", "$[3]");
    assertThat(e.problems().get(1).message()).isEqualTo("is out of the INT range: 3000000000");
    assertThat(e.problems().get(3).message()).startsWith("unknown key 'color'; this GroupBy's keys are {user_id=STRING, shop_id=LONG, region=INT, vip=BOOLEAN}");
    assertThat(e.problems().get(4).message()).startsWith("missing key 'user_id' (STRING)");
    assertThat(e.problems().get(5).message()).isEqualTo("is null; a key needs a value");
    assertThat(e.problems().get(6).message()).startsWith("expected a key object such as {\"user_id\": \"123\", \"shop_id\": 123, \"region\": 123, \"vip\": true}, got a string");
    assertThat(e.getMessage()).startsWith("7 key problems, first: $[1].shop_id: must be a JSON integer (key type LONG), got a number (1.5)");
  }

  @Test
  void problemsAreCappedButCounted() {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 50; i++) body.append(i == 0 ? "" : ",").append("{}");
    InvalidRequestException e = invalid(() -> schema.fromJsonArray(json(body.append("]").toString()), 100));
    assertThat(e.problems()).hasSize(RequestProblems.MAX_PROBLEMS);
    assertThat(e.getMessage()).startsWith("200 key problems");
  }

  @Test
  void moreKeysThanAllowedIsTooManyKeys() {
    InvalidRequestException e = invalid(() -> schema.fromJsonArray(json("[{}, {}, {}]"), 2));
    assertThat(e.type()).isEqualTo(ProblemTypes.TOO_MANY_KEYS);
    assertThat(e.getMessage()).isEqualTo("3 keys in one request; at most 2 are allowed (tessera.fetcher.max-keys-per-request): split the request");
  }

  @Test
  void aBodyThatIsNotAnArrayIsMalformed() {
    InvalidRequestException e = invalid(() -> schema.fromJsonArray(json("{\"user_id\": \"u1\"}"), 2));
    assertThat(e.type()).isEqualTo(ProblemTypes.MALFORMED_BODY);
    assertThat(e.getMessage()).startsWith("expected a JSON array of key objects such as [{\"user_id\": \"123\"").endsWith("got an object");
  }

  @Test
  void queryParametersAreParsedAsTheKeyTypes() {
    EntityKey key = schema.fromQuery(Map.of("user_id", List.of("007"), "shop_id", List.of("12"), "region", List.of("-3"),
        "vip", List.of("false")));
    assertThat(key.values()).containsExactly("007", 12L, -3L, false);
  }

  @Test
  void badQueryParametersAreReported() {
    InvalidRequestException e = invalid(() -> schema.fromQuery(Map.of("user_id", List.of("a", "b"), "shop_id", List.of("x"),
        "vip", List.of("TRUE"), "other", List.of("1"))));
    assertThat(e.problems()).extracting(InvalidRequestException.Problem::path)
        .containsExactlyInAnyOrder("user_id", "shop_id", "region", "vip", "other");
    assertThat(e.problems()).contains(new InvalidRequestException.Problem("shop_id", "'x' is not a LONG"),
        new InvalidRequestException.Problem("vip", "'TRUE' is not a BOOLEAN"),
        new InvalidRequestException.Problem("user_id", "given 2 times; one key per GET (POST a list for several)"));
  }

  static InvalidRequestException invalid(Runnable r) {
    try {
      r.run();
    } catch (InvalidRequestException e) {
      return e;
    }
    throw new AssertionError("expected an InvalidRequestException");
  }

  static JsonNode json(String s) {
    return JSON.readTree(s);
  }
}
