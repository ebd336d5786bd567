package dev.tessera.agg.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DataType.Primitive;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.testkit.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading Join documents (JSON and YAML, DESIGN-joins.md "The Join definition"), writing them back
 * equal, and the problems the reader reports for documents it cannot fully understand.
 */
class JoinReaderWriterTest {

  /** The example of DESIGN-joins.md, copied verbatim. */
  static final String DESIGN_EXAMPLE_YAML = """
      name: fraud_model                  # same name rules as a GroupBy; Joins have their own namespace
      team: risk
      description: features of the fraud model
      online: true                       # every part's GroupBy must then be online
      left:                              # the rows that get features: a label/checkout table
        table: checkouts
        timeColumn: ts                   # epoch ms; features are as of this time (events strictly before it)
        schema: {buyer: STRING, shop: STRING, amount_now: DOUBLE, channel: STRING, ts: LONG, label: LONG}
      parts:
        - groupBy: fraud_features        # optional: version: 3 pins one version; default is the live version
          keyMapping: {buyer: user_id}   # left column -> GroupBy key; every GroupBy key must be mapped
          prefix: buyer                  # optional
        - groupBy: merchant_features      # no prefix: its features are named merchant_features_<feature>
          keyMapping: {shop: merchant}
        - groupBy: buyer_merchant_features
          keyMapping: {buyer: user_id, shop: merchant}
          prefix: pair
      request: [amount_now, channel]     # contextual fields: left columns offline, request fields online
      derivations:
        - {name: amount_vs_avg, expression: "amount_now / buyer_amount_avg_24h"}
        - {name: new_pair, expression: "pair_amount_count_30d == 0"}
      """;

  /** The same Join built in code. */
  static Join designExample() {
    Map<String, dev.tessera.agg.definition.DataType> schema = new LinkedHashMap<>();
    schema.put("buyer", Primitive.STRING);
    schema.put("shop", Primitive.STRING);
    schema.put("amount_now", Primitive.DOUBLE);
    schema.put("channel", Primitive.STRING);
    schema.put("ts", Primitive.LONG);
    schema.put("label", Primitive.LONG);
    Map<String, String> pairKeys = new LinkedHashMap<>();
    pairKeys.put("buyer", "user_id");
    pairKeys.put("shop", "merchant");
    return Join.builder("fraud_model").team("risk").description("features of the fraud model").online(true)
        .left(new LeftSource("checkouts", "ts", schema))
        .part("fraud_features", Map.of("buyer", "user_id"), "buyer")
        .part("merchant_features", Map.of("shop", "merchant"), null)
        .part("buyer_merchant_features", pairKeys, "pair")
        .request("amount_now", "channel")
        .derive("amount_vs_avg", "amount_now / buyer_amount_avg_24h")
        .derive("new_pair", "pair_amount_count_30d == 0")
        .build();
  }

  static JoinParseResult read(String text) {
    return JoinReader.read(text);
  }

  static List<Problem> problems(String text) {
    JoinParseResult r = read(text);
    assertThat(r.ok()).as("should have problems:%n%s", text).isFalse();
    return r.problems();
  }

  @Test
  void theDesignExampleReadsAsTheJoinItDescribes() {
    JoinParseResult r = read(DESIGN_EXAMPLE_YAML);
    assertThat(r.problems()).isEmpty();
    assertThat(r.join()).isEqualTo(designExample());
    assertThat(r.join().left().schema().keySet()).containsExactly("buyer", "shop", "amount_now", "channel", "ts", "label");
  }

  @Test
  void jsonRoundTripGivesAnEqualJoin() {
    Join j = designExample();
    String json = JoinWriter.toJson(j);
    assertThat(json).startsWith("{");
    JoinParseResult back = read(json);
    assertThat(back.problems()).isEmpty();
    assertThat(back.join()).isEqualTo(j);
  }

  @Test
  void yamlRoundTripGivesAnEqualJoin() {
    Join j = designExample();
    JoinParseResult back = read(JoinWriter.toYaml(j));
    assertThat(back.problems()).isEmpty();
    assertThat(back.join()).isEqualTo(j);
  }

  @Test
  void aMinimalJoinWithAPinnedVersionRoundTripsAndLeavesUnsetFieldsOut() {
    Join j = Join.builder("minimal").left(new LeftSource("t", "ts", Map.of("k", Primitive.LONG, "ts", Primitive.LONG)))
        .part(new JoinPart("g", 3, Map.of("k", "id"), null)).build();
    var tree = JoinWriter.toTree(j);
    assertThat(tree.has("team")).isFalse();
    assertThat(tree.has("request")).isFalse();
    assertThat(tree.has("derivations")).isFalse();
    assertThat(tree.get("parts").get(0).has("prefix")).isFalse();
    assertThat(tree.get("parts").get(0).get("version").asInt()).isEqualTo(3);
    assertThat(read(JoinWriter.toJson(j)).join()).isEqualTo(j);
    assertThat(read(JoinWriter.toYaml(j)).join()).isEqualTo(j);
  }

  @Test
  void aLeftTopicRoundTripsAndIsLeftOutWhenUnset() {
    Map<String, DataType> schema = Map.of("k", Primitive.LONG, "ts", Primitive.LONG);
    Join landed = Join.builder("landed").left(new LeftSource("labels", "ts", schema, null, "shop.labels"))
        .part(new JoinPart("g", null, Map.of("k", "id"), null)).build();
    assertThat(JoinWriter.toTree(landed).get("left").get("topic").asString()).isEqualTo("shop.labels");
    assertThat(read(JoinWriter.toJson(landed)).join()).isEqualTo(landed);
    assertThat(read(JoinWriter.toYaml(landed)).join()).isEqualTo(landed);
    Join kept = Join.builder("kept").left(new LeftSource("labels", "ts", schema)).part(new JoinPart("g", null, Map.of("k", "id"), null)).build();
    assertThat(JoinWriter.toTree(kept).get("left").has("topic")).isFalse();
  }

  @Test
  void stringsThatLookLikeNumbersOrBooleansSurviveYaml() {
    Join j = Join.builder("odd").team("123").description("true")
        .left(new LeftSource("1e3", "ts", Map.of("ts", Primitive.LONG)))
        .part("g", Map.of("ts", "0.50"), null).derive("d", "1.0").build();
    assertThat(read(JoinWriter.toYaml(j)).join()).isEqualTo(j);
  }

  @Test
  void aParsedTreeReadsLikeItsText() {
    String json = JoinWriter.toJson(designExample());
    assertThat(JoinReader.read(Json.MAPPER.readTree(json))).isEqualTo(read(json));
  }

  @Test
  void unknownFieldsAreReportedWithTheirPathAndAHint() {
    String doc = DESIGN_EXAMPLE_YAML.replace("request:", "requests:")
        .replace("timeColumn: ts", "timecolumn: ts")
        .replace("prefix: pair", "prefx: pair")
        .replace("{name: new_pair, expression:", "{name: new_pair, expr:");
    assertThat(problems(doc)).extracting(Problem::path).contains("$.requests", "$.left.timecolumn", "$.parts[2].prefx",
        "$.derivations[1].expr");
    assertThat(problems(doc)).filteredOn(p -> p.path().equals("$.requests")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("unknown field 'requests'", "did you mean 'request'?"));
    assertThat(problems(doc)).filteredOn(p -> p.path().equals("$.left.timecolumn")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("did you mean 'timeColumn'?"));
  }

  @Test
  void whatCanBeUnderstoodIsKept() {
    JoinParseResult r = read(DESIGN_EXAMPLE_YAML.replace("prefix: pair", "prefx: pair")
        .replace("{name: new_pair, expression:", "{name: new_pair, expr:"));
    assertThat(r.join()).isNotNull();
    assertThat(r.join().parts()).hasSize(3);
    assertThat(r.join().parts().get(2).prefix()).isNull();
    assertThat(r.join().derivations()).extracting(Derivation::name).containsExactly("amount_vs_avg");
    assertThat(r.join().request()).containsExactly("amount_now", "channel");
  }

  @Test
  void aFieldWrittenTwiceIsAnErrorInJson() {
    String json = "{\"name\": \"a\", \"name\": \"b\", \"left\": {}, \"parts\": []}";
    assertThat(problems(json)).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("$");
      assertThat(p.message()).contains("malformed JSON", "Duplicate", "name");
    });
  }

  @Test
  void aFieldWrittenTwiceIsAnErrorInYaml() {
    String yaml = DESIGN_EXAMPLE_YAML + "parts: []\n";
    assertThat(problems(yaml)).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("$");
      assertThat(p.message()).contains("malformed YAML", "Duplicate", "parts");
    });
    assertThat(read(yaml).join()).isNull();
  }

  @Test
  void fieldsOfTheWrongTypeAreReportedAtTheirPath() {
    String doc = """
        name: wrong
        online: maybe
        left:
          table: t
          timeColumn: ts
          schema: {ts: LONG, amount: MONEY, tags: [1]}
        parts:
          - just_a_name
          - groupBy: g
            version: two
            keyMapping: [a, b]
          - groupBy: h
            version: 0
            keyMapping: {a: {nested: 1}}
          - keyMapping: {a: id}
        request: {a: 1}
        derivations:
          - "x + 1"
          - {name: [d], expression: "1"}
        """;
    assertThat(problems(doc)).extracting(Problem::path).containsExactlyInAnyOrder(
        "$.online", "$.left.schema.amount", "$.left.schema.tags", "$.parts[0]", "$.parts[1].version",
        "$.parts[1].keyMapping", "$.parts[2].version", "$.parts[2].keyMapping.a", "$.parts[3].groupBy", "$.request",
        "$.derivations[0]", "$.derivations[1].name");
    JoinParseResult r = read(doc);
    assertThat(r.join().parts()).extracting(JoinPart::groupBy).containsExactly("g", "h");
    assertThat(r.join().left().schema()).containsOnlyKeys("ts");
  }

  @Test
  void aMissingOrBrokenStructureIsReported() {
    assertThat(problems("")).extracting(Problem::path).containsExactly("$");
    assertThat(problems("[1, 2]")).singleElement().satisfies(p -> assertThat(p.message()).contains("must be an object"));
    assertThat(problems("team: risk")).extracting(Problem::path).containsExactly("$.name", "$.left", "$.parts");
    assertThat(read("team: risk").join()).as("no name: nothing to inspect").isNull();
    assertThat(problems("name: x\nleft: checkouts\nparts: fraud")).extracting(Problem::path).containsExactly("$.left", "$.parts");
    assertThat(problems("{\"name\": \"x\", \"parts\": [}")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("malformed JSON", "line 1"));
  }

  @Test
  void aVersionMayBeWrittenAsText() {
    JoinParseResult r = read("name: x\nleft: {table: t, timeColumn: ts, schema: {ts: LONG}}\n"
        + "parts: [{groupBy: g, version: \"4\", keyMapping: {ts: id}}]");
    assertThat(r.problems()).isEmpty();
    assertThat(r.join().parts().getFirst().version()).isEqualTo(4);
  }
}
