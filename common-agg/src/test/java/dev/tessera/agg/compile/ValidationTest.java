package dev.tessera.agg.compile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.testkit.ProblemAssertions;
import dev.tessera.agg.definition.Window;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validation ("compile") of GroupBy definitions, DESIGN.md "The GroupBy definition": every rule
 * reports its problem at the JSON path of what the user wrote, with a message that says what to
 * do; all problems come at once; and a valid definition yields the feature names, types, tile
 * size and hops of DESIGN.md.
 *
 * <p>Each test starts from {@link #VALID} and changes one thing in the text.
 */
class ValidationTest {

  /** A valid definition with a column of every primitive type. */
  static final String VALID = """
      name: purchases_by_user
      online: true
      keys: [user_id]
      sources:
        - events:
            table: purchases
            topic: purchases
            schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, items: INT, price: FLOAT, \
      flag: BOOLEAN, currency: STRING, tags: LIST<STRING>, ts: LONG}
            query:
              selects: {user_id: user_id, merchant: merchant, amount: amount, qty: qty, items: items, price: price, \
      flag: flag, tags: tags}
              wheres: ['currency == "USD"']
              timeColumn: ts
      aggregations:
        - {inputColumn: amount, operation: AVG, windows: [1h]}
      streaming: {watermarkDelay: 5m, allowedLateness: 1h}
      """;

  static final String COLUMNS = "user_id, merchant, amount, qty, items, price, flag, tags";

  /** {@link #VALID} with {@code original} (which must occur in it) replaced. */
  static String replace(String original, String replacement) {
    assertThat(VALID).as("the valid definition contains the text to replace").contains(original);
    return VALID.replace(original, replacement);
  }

  /** {@link #VALID} with these aggregations instead of its own. */
  static String withAggregations(String... aggregations) {
    return replace("  - {inputColumn: amount, operation: AVG, windows: [1h]}\n",
        String.join("", java.util.Arrays.stream(aggregations).map(a -> "  - " + a + "\n").toList()));
  }

  static List<Problem> problems(String document) {
    CompileResult r = GroupByCompiler.compile(document);
    return ProblemAssertions.failed(document, r.ok(), r.compiled(), r.problems());
  }

  /** Exactly one problem, at {@code path}, whose message contains every one of {@code parts}. */
  static void assertOneProblem(String document, String path, String... parts) {
    ProblemAssertions.assertOneProblem(problems(document), path, parts);
  }

  static CompiledGroupBy compiled(String document) {
    CompileResult r = GroupByCompiler.compile(document);
    assertThat(r.problems()).as("problems of%n%s", document).isEmpty();
    return r.orThrow();
  }

  /** Issue 21: a definition with 15,000 aggregations was accepted. */
  @Test
  void aGroupByHasAtMostMaxAggregationsAndMaxFeatures() {
    String[] many = java.util.stream.IntStream.range(0, 15_000)
        .mapToObj(i -> "{inputColumn: amount, operation: SUM, windows: [" + (i + 1) + "m]}").toArray(String[]::new);
    assertOneProblem(withAggregations(many), "$.aggregations", "15000 aggregations", "at most " + GroupByCompiler.MAX_AGGREGATIONS);
    String windows = java.util.stream.IntStream.range(1, 11).mapToObj(i -> i + "d").collect(java.util.stream.Collectors.joining(", "));
    String[] wide = java.util.stream.IntStream.range(0, 201)
        .mapToObj(i -> "{inputColumn: amount, operation: SUM, windows: [" + windows + "]}").toArray(String[]::new);
    assertOneProblem(withAggregations(wide), "$.aggregations", "2010 features", "at most " + GroupByCompiler.MAX_FEATURES);
  }

  @Test
  void theStartingPointIsValid() {
    assertThat(compiled(VALID).featureTypes()).containsOnlyKeys("amount_avg_1h");
  }

  @Nested
  class NameAndKeys {

    @ParameterizedTest
    @ValueSource(strings = {"Purchases", "purchases-by-user", "1purchases", "_purchases", "purchases by user",
        "a234567890123456789012345678901234567890123456789012345678901234"})
    void theNameMustBeALowercaseIdentifierOfAtMost63Characters(String name) {
      assertOneProblem(replace("name: purchases_by_user", "name: '" + name + "'"), "$.name",
          "'" + name + "' is not a valid name", "lowercase letters, digits and _, starting with a letter, at most 63 characters");
    }

    @Test
    void aNameOf63CharactersIsFine() {
      String name = "a" + "1".repeat(62);
      assertThat(compiled(replace("name: purchases_by_user", "name: " + name)).name()).isEqualTo(name);
    }

    @Test
    void keysAreRequired() {
      assertOneProblem(replace("keys: [user_id]", "keys: []"), "$.keys", "at least one key column is required, e.g. [user_id]");
    }

    @Test
    void missingKeysAreReportedOnce() {
      assertThat(problems(replace("keys: [user_id]\n", ""))).containsExactly(new Problem("$.keys", "is required"));
    }

    @Test
    void aKeyMustBeASelectedColumn() {
      assertOneProblem(replace("keys: [user_id]", "keys: [user_id, currency]"), "$.keys[1]",
          "key 'currency' is not a selected column", "(columns: " + COLUMNS + ")");
    }

    @ParameterizedTest
    @CsvSource({"amount, DOUBLE", "price, FLOAT", "tags, LIST<STRING>"})
    void aKeyMustHaveADiscreteType(String column, String type) {
      assertOneProblem(replace("keys: [user_id]", "keys: [" + column + "]"), "$.keys[0]",
          "key '" + column + "' is " + type + "; keys must be STRING, INT, LONG or BOOLEAN");
    }

    @Test
    void keysOfEveryDiscreteTypeAreFine() {
      CompiledGroupBy g = compiled(replace("keys: [user_id]", "keys: [user_id, qty, items, flag]"));

      assertThat(g.keyNames()).containsExactly("user_id", "qty", "items", "flag");
      assertThat(g.keyType(2)).isEqualTo(DataType.Primitive.INT);
    }

    @Test
    void aKeyListedTwice() {
      assertOneProblem(replace("keys: [user_id]", "keys: [user_id, user_id]"), "$.keys[1]", "key 'user_id' is listed twice");
    }
  }

  @Nested
  class Sources {

    @Test
    void atLeastOneSourceIsRequired() {
      String doc = """
          name: x
          keys: [a]
          sources: []
          aggregations: [{inputColumn: a, operation: COUNT}]
          """;
      assertOneProblem(doc, "$.sources", "at least one source is required");
    }

    @Test
    void aTableIsRequired() {
      assertOneProblem(replace("      table: purchases\n", ""), "$.sources[0].events.table",
          "a warehouse table or a Parquet dataset (parquet) is required (the batch side reads it)");
      assertOneProblem(replace("table: purchases", "table: ' '"), "$.sources[0].events.table", "a warehouse table or a Parquet dataset");
    }

    @Test
    void aParquetDatasetCanStandInsteadOfTheTable() {
      assertThat(compiled(replace("table: purchases", "parquet: /lake/purchases/ds=*/*.parquet")).definition().sources())
          .singleElement().extracting(s -> ((EventSource) s).parquet()).isEqualTo("/lake/purchases/ds=*/*.parquet");
      compiled(replace("table: purchases", "parquet: purchases")); // a folder, relative to the lake directory
    }

    @Test
    void aTableAndAParquetDatasetAreNotBothAllowed() {
      assertOneProblem(replace("table: purchases\n", "table: purchases\n      parquet: /lake/purchases\n"),
          "$.sources[0].events.parquet", "either a table or a Parquet dataset (parquet), not both");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"/lake/it's/*.parquet\"|has a character a Parquet path may not contain",
        "\"/lake/a;b\"|has a character a Parquet path may not contain",
        "/lake/../etc/*.parquet|has a '..' segment",
        "'/lake/{a,b}/*.parquet'|only the globs *, ** and ? are supported"})
    void aParquetPathMustBeSafeToQuoteAndStayInItsFolder(String path, String message) {
      assertOneProblem(replace("table: purchases", "parquet: " + path), "$.sources[0].events.parquet", message);
    }

    @Test
    void aParquetPathWithAControlCharacterIsRefused() {
      assertOneProblem(replace("table: purchases", "parquet: \"/lake/a\\tb\""), "$.sources[0].events.parquet", "control characters");
    }

    @Test
    void anOnlineGroupByNeedsATopic() {
      assertOneProblem(replace("      topic: purchases\n", ""), "$.sources[0].events.topic",
          "an online GroupBy needs a Kafka topic on every source (the stream side reads it)");
    }

    @Test
    void aBatchOnlyGroupByNeedsNoTopic() {
      CompiledGroupBy g = compiled(replace("      topic: purchases\n", "").replace("online: true", "online: false"));

      assertThat(((EventSource) g.definition().sources().getFirst()).topic()).isNull();
    }

    @Test
    void theSchemaMustHaveColumns() {
      String doc = """
          name: x
          keys: [user_id]
          sources: [{events: {table: t, schema: {}, query: {timeColumn: ts}}}]
          aggregations: [{inputColumn: user_id, operation: COUNT}]
          """;
      assertOneProblem(doc, "$.sources[0].events.schema", "the schema has no columns");
    }

    @Test
    void anUnknownSchemaType() {
      assertOneProblem(replace("ts: LONG}", "ts: LONG, note: TEXT}"), "$.sources[0].events.schema.note",
          "unknown type 'TEXT' (expected one of STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN, LIST<T>, MAP<STRING,T>)");
    }

    @Test
    void mapKeysMustBeStrings() {
      assertOneProblem(replace("ts: LONG}", "ts: LONG, attrs: 'MAP<LONG,STRING>'}"), "$.sources[0].events.schema.attrs",
          "'MAP<LONG,STRING>': map keys must be STRING");
    }

    @Test
    void nestedSchemaTypesAreFine() {
      CompiledGroupBy g = compiled(replace("ts: LONG}", "ts: LONG, attrs: 'map<string, list<double>>'}")
          .replace("tags: tags}", "tags: tags, attrs: attrs}"));

      assertThat(g.schema().type("attrs").spec()).isEqualTo("MAP<STRING,LIST<DOUBLE>>");
    }

    @Test
    void aTimeColumnIsRequired() {
      assertOneProblem(replace("        timeColumn: ts\n", ""), "$.sources[0].events.query.timeColumn",
          "a timeColumn is required: the column with the event time in epoch milliseconds");
    }

    @Test
    void theTimeColumnMustBeInTheSchema() {
      assertOneProblem(replace("timeColumn: ts", "timeColumn: event_time"), "$.sources[0].events.query.timeColumn",
          "time column 'event_time' is not in the schema (columns: user_id, merchant, amount, qty, items, price, flag, currency, tags, ts)");
    }

    @ParameterizedTest
    @CsvSource({"amount, DOUBLE", "merchant, STRING", "flag, BOOLEAN"})
    void theTimeColumnMustBeIntegral(String column, String type) {
      assertOneProblem(replace("timeColumn: ts", "timeColumn: " + column), "$.sources[0].events.query.timeColumn",
          "time column '" + column + "' is " + type + "; it must be LONG (or INT) epoch milliseconds");
    }

    @Test
    void aTimeExpressionMustBeAnInteger() {
      assertOneProblem(replace("timeColumn: ts", "timeColumn: 'amount * 1000.0'"), "$.sources[0].events.query.timeColumn",
          "CEL: at 1:8: expected type 'int' but found 'double'");
    }

    @Test
    void aWhereMustBeBoolean() {
      assertOneProblem(replace("['currency == \"USD\"']", "['currency == \"USD\"', 'amount * 2.0']"),
          "$.sources[0].events.query.wheres[1]", "CEL: at 1:8: expected type 'bool' but found 'double'");
    }

    @Test
    void aCelSyntaxErrorKeepsItsLineAndColumnAndCaret() {
      // a two-line where: the error is on its second line
      String doc = replace("        wheres: ['currency == \"USD\"']\n", String.join("\n",
          "        wheres:",
          "          - |-",
          "            currency == \"USD\" &&",
          "              amount >",
          ""));

      assertThat(problems(doc)).singleElement().satisfies(p -> {
        assertThat(p.path()).isEqualTo("$.sources[0].events.query.wheres[0]");
        assertThat(p.message()).startsWith("CEL: at 2:").contains("mismatched input '<EOF>'").contains("^");
      });
    }

    @Test
    void aCelReferenceToAnUnknownColumn() {
      assertOneProblem(replace("['currency == \"USD\"']", "['country == \"US\"']"),
          "$.sources[0].events.query.wheres[0]", "CEL: at 1:1: undeclared reference to 'country'");
    }

    @Test
    void aSelectCanReadSchemaColumnsThatAreNotSelected() {
      assertThat(compiled(replace("tags: tags}", "tags: tags, usd: 'currency == \"USD\"'}")).schema().type("usd"))
          .isEqualTo(DataType.Primitive.BOOLEAN);
    }

    @Test
    void aSelectOfAnUnknownColumn() {
      assertOneProblem(replace("tags: tags}", "tags: tags, amt: amout}"), "$.sources[0].events.query.selects.amt",
          "CEL: at 1:1: undeclared reference to 'amout'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "timestamp(ts)   | google.protobuf.Timestamp",
        "null            | null_type",
        "duration('1s')  | google.protobuf.Duration",
        "b'abc'          | bytes"})
    void aSelectOfATypeNoColumnCanHold(String expression, String celType) {
      assertOneProblem(replace("tags: tags}", "tags: tags, t: \"" + expression + "\"}"), "$.sources[0].events.query.selects.t",
          "CEL: '" + expression + "' has type " + celType + ", which a column cannot hold");
    }

    @Test
    void aSelectedColumnNameMustBeAnIdentifier() {
      assertOneProblem(replace("tags: tags}", "tags: tags, 'unit price': price}"),
          "$.sources[0].events.query.selects['unit price']", "column name 'unit price' must be an identifier");
    }

    @Test
    void aSelectWithoutAnExpressionInADefinitionBuiltInCode() {
      GroupBy g = GroupBy.builder("g").keys("user_id")
          .source(EventSource.builder().table("t").column("user_id", "STRING").column("ts", "LONG")
              .select("user_id", "user_id").select("nothing", null).timeColumn("ts").build())
          .aggregate("user_id", Operation.COUNT)
          .build();

      assertThat(GroupByCompiler.compile(g).problems())
          .containsExactly(new Problem("$.sources[0].events.query.selects.nothing", "the expression is empty"));
    }

    @Test
    void anEmptySelect() {
      assertOneProblem(replace("tags: tags}", "tags: tags, t: ''}"), "$.sources[0].events.query.selects.t", "the expression is empty");
    }

    @Test
    void allSourcesMustProduceTheSameColumns() {
      String doc = replace("aggregations:\n", String.join("\n",
          "  - events:",
          "      table: refunds",
          "      topic: refunds",
          "      schema: {user_id: STRING, amount: DOUBLE, ts: LONG}",
          "      query: {selects: {user_id: user_id, amount: \"-amount\"}, timeColumn: ts}",
          "aggregations:",
          ""));

      assertOneProblem(doc, "$.sources[1].events.query.selects",
          "every source must produce the same columns",
          "this one gives {user_id: STRING, amount: DOUBLE} but the first gives {user_id: STRING, merchant: STRING, "
              + "amount: DOUBLE, qty: LONG, items: INT, price: FLOAT, flag: BOOLEAN, tags: LIST<STRING>}");
    }

    @Test
    void sourcesWithTheSameColumnsInAnotherOrderAreFine() {
      String doc = """
          name: x
          keys: [user_id]
          sources:
            - events: {table: a, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}
            - events:
                table: b
                schema: {amount: DOUBLE, user_id: STRING, ts: LONG}
                query: {selects: {amount: "-amount", user_id: user_id, ts: ts}, timeColumn: ts}
          aggregations: [{inputColumn: amount, operation: SUM}]
          """;
      assertThat(compiled(doc).sources()).hasSize(2);
    }
  }

  @Nested
  class Aggregations {

    @Test
    void atLeastOneAggregationIsRequired() {
      assertOneProblem(replace("aggregations:\n  - {inputColumn: amount, operation: AVG, windows: [1h]}\n", "aggregations: []\n"),
          "$.aggregations", "at least one aggregation is required");
    }

    @Test
    void anUnknownInputColumn() {
      assertOneProblem(withAggregations("{inputColumn: amount, operation: SUM}", "{inputColumn: amt, operation: AVG, windows: [1h]}"),
          "$.aggregations[1].inputColumn", "unknown column 'amt' (columns: " + COLUMNS + ")");
    }

    @Test
    void theInputMustBeASelectedColumnNotJustASchemaColumn() {
      assertOneProblem(withAggregations("{inputColumn: currency, operation: COUNT}"), "$.aggregations[0].inputColumn",
          "unknown column 'currency'");
    }

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource(delimiter = '|', value = {
        "SUM                | merchant | STRING       | a numeric column (INT, LONG, FLOAT, DOUBLE)",
        "AVG                | flag     | BOOLEAN      | a numeric column (INT, LONG, FLOAT, DOUBLE)",
        "VARIANCE           | tags     | LIST<STRING> | a numeric column (INT, LONG, FLOAT, DOUBLE)",
        "HISTOGRAM          | amount   | DOUBLE       | a STRING, INT, LONG or BOOLEAN column",
        "APPROX_HISTOGRAM_K | price    | FLOAT        | a STRING, INT, LONG or BOOLEAN column",
        "MIN                | flag     | BOOLEAN      | a numeric or STRING column",
        "TOP_K              | flag     | BOOLEAN      | a numeric or STRING column",
        "LAST               | tags     | LIST<STRING> | a STRING, numeric or BOOLEAN column",
        "UNIQUE_COUNT       | tags     | LIST<STRING> | a STRING, numeric or BOOLEAN column"})
    void anOperationThatCannotTakeTheColumnsType(String op, String column, String type, String accepted) {
      assertOneProblem(withAggregations("{inputColumn: " + column + ", operation: " + op + "}"), "$.aggregations[0].operation",
          op + " needs " + accepted + ", but '" + column + "' is " + type);
    }

    @Test
    void countTakesAnyType() {
      assertThat(compiled(withAggregations("{inputColumn: tags, operation: COUNT}")).featureTypes())
          .containsExactly(Map.entry("tags_count", DataType.Primitive.LONG));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1w", "0h", "h", "1.5h", "-1h", "1H", "60s", "3661d"})
    void aBadWindowSpec(String spec) {
      assertThat(problems(withAggregations("{inputColumn: amount, operation: SUM, windows: [1h, '" + spec + "']}")))
          .singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("$.aggregations[0].windows[1]");
            assertThat(p.message()).startsWith("bad window '" + spec + "': ");
          });
    }

    @Test
    void aBadWindowSpecSaysWhatIsExpected() {
      assertOneProblem(withAggregations("{inputColumn: amount, operation: SUM, windows: [1w]}"), "$.aggregations[0].windows[0]",
          "bad window '1w': expected <n>m, <n>h or <n>d with n >= 1, e.g. 30m, 1h, 7d");
    }

    @Test
    void aWindowListedTwiceInOneAggregationIsReportedOnce() {
      assertThat(problems(withAggregations("{inputColumn: amount, operation: SUM, windows: [1h, 1d, 1h]}")))
          .containsExactly(new Problem("$.aggregations[0].windows[2]", "window 1h is listed twice"));
    }

    @Test
    void aWindowListedTwiceAfterABadOneKeepsItsDocumentIndex() {
      assertThat(problems(withAggregations("{inputColumn: amount, operation: SUM, windows: [1w, 1d, 1d]}"))).containsExactly(
          new Problem("$.aggregations[0].windows[0]", "bad window '1w': expected <n>m, <n>h or <n>d with n >= 1, e.g. 30m, 1h, 7d"),
          new Problem("$.aggregations[0].windows[2]", "window 1d is listed twice"));
    }

    @Test
    void twoIdenticalAggregationsGiveDuplicateFeatureNames() {
      assertThat(problems(withAggregations(
          "{inputColumn: amount, operation: SUM, windows: [7d]}",
          "{inputColumn: amount, operation: AVG, windows: [7d]}",
          "{inputColumn: amount, operation: SUM, windows: [7d]}")))
          .containsExactly(new Problem("$.aggregations[2]", "feature name 'amount_sum_7d' is also produced by $.aggregations[0]"));
    }

    @Test
    void theSameWindowInTwoAggregationsGivesADuplicateFeatureName() {
      assertThat(problems(withAggregations(
          "{inputColumn: amount, operation: SUM, windows: [1d]}",
          "{inputColumn: amount, operation: SUM, windows: [1h, 1d]}")))
          .containsExactly(new Problem("$.aggregations[1]", "feature name 'amount_sum_1d' is also produced by $.aggregations[0]"));
    }

    @Test
    void theAliasAverageAndAvgGiveTheSameFeatureName() {
      assertThat(problems(withAggregations(
          "{inputColumn: amount, operation: AVG}",
          "{inputColumn: amount, operation: AVERAGE}")))
          .containsExactly(new Problem("$.aggregations[1]", "feature name 'amount_avg' is also produced by $.aggregations[0]"));
    }

    @Test
    void equalWindowsWrittenDifferentlyAreDifferentFeatures() {
      CompiledGroupBy g = compiled(withAggregations("{inputColumn: amount, operation: SUM, windows: [24h, 1d]}"));

      assertThat(g.featureTypes()).containsOnlyKeys("amount_sum_24h", "amount_sum_1d");
      assertThat(g.windowGroups()).singleElement().satisfies(group -> {
        assertThat(group.millis()).isEqualTo(Window.DAY);
        assertThat(group.features()).extracting(Feature::name).containsExactly("amount_sum_24h", "amount_sum_1d");
      });
    }

    @Test
    void aBucketedAndAnUnbucketedAggregationHaveDifferentNames() {
      assertThat(compiled(withAggregations(
          "{inputColumn: amount, operation: SUM, windows: [7d]}",
          "{inputColumn: amount, operation: SUM, windows: [7d], buckets: [merchant, flag]}")).featureTypes())
          .containsOnlyKeys("amount_sum_7d", "amount_sum_7d_by_merchant", "amount_sum_7d_by_flag");
    }

    @Test
    void anUnknownBucketColumn() {
      assertOneProblem(withAggregations("{inputColumn: amount, operation: SUM, buckets: [merchant, shop]}"),
          "$.aggregations[0].buckets[1]", "unknown bucket column 'shop' (columns: " + COLUMNS + ")");
    }

    @ParameterizedTest
    @CsvSource({"amount, DOUBLE", "price, FLOAT", "tags, LIST<STRING>"})
    void aBucketColumnOfABadType(String column, String type) {
      assertOneProblem(withAggregations("{inputColumn: qty, operation: SUM, buckets: [" + column + "]}"),
          "$.aggregations[0].buckets[0]",
          "bucket column '" + column + "' is " + type + "; buckets must be STRING, INT, LONG or BOOLEAN");
    }

    @Test
    void aBucketListedTwice() {
      assertThat(problems(withAggregations("{inputColumn: amount, operation: SUM, buckets: [merchant, merchant]}")))
          .containsExactly(new Problem("$.aggregations[0].buckets[1]", "bucket column 'merchant' is listed twice"));
    }
  }

  @Nested
  class Args {

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "amount   | SUM                  | {k: '3'}                               | $.aggregations[0].args.k           | SUM takes no arguments",
        "amount   | TOP_K                | {kk: '3'}                              | $.aggregations[0].args.kk          | unknown argument 'kk' for TOP_K (takes: k)",
        "amount   | APPROX_PERCENTILE    | {percentiles: '0.5', lgk: '5'}         | $.aggregations[0].args.lgk         | unknown argument 'lgk' for APPROX_PERCENTILE (takes: k, percentiles)",
        "amount   | TOP_K                | {k: five}                              | $.aggregations[0].args.k           | k must be an integer between 1 and 10000, got 'five'",
        "amount   | TOP_K                | {k: 2.5}                               | $.aggregations[0].args.k           | k must be an integer between 1 and 10000, got '2.5'",
        "merchant | LAST_K               | {k: 0}                                 | $.aggregations[0].args.k           | k must be an integer between 1 and 10000, got '0'",
        "merchant | FIRST_K              | {k: 10001}                             | $.aggregations[0].args.k           | k must be an integer between 1 and 10000, got '10001'",
        "merchant | BOUNDED_UNIQUE_COUNT | {k: -1}                                | $.aggregations[0].args.k           | k must be an integer between 1 and 10000, got '-1'",
        "amount   | APPROX_PERCENTILE    | {percentiles: '0.5', k: 7}             | $.aggregations[0].args.k           | k must be an integer between 8 and 65535, got '7'",
        "amount   | APPROX_PERCENTILE    | {percentiles: '0.5', k: 65536}         | $.aggregations[0].args.k           | k must be an integer between 8 and 65535, got '65536'",
        "amount   | APPROX_PERCENTILE    | {}                                     | $.aggregations[0].args.percentiles | APPROX_PERCENTILE needs percentiles, e.g. args: {percentiles: \"0.5,0.99\"}",
        "amount   | APPROX_PERCENTILE    | {percentiles: '0.5,1.5'}               | $.aggregations[0].args.percentiles | percentile 1.5 is outside [0, 1]",
        "amount   | APPROX_PERCENTILE    | {percentiles: '-0.1'}                  | $.aggregations[0].args.percentiles | percentile -0.1 is outside [0, 1]",
        "amount   | APPROX_PERCENTILE    | {percentiles: '0.5,median'}            | $.aggregations[0].args.percentiles | percentiles must be numbers between 0 and 1 separated by commas, got '0.5,median'",
        "merchant | APPROX_UNIQUE_COUNT  | {lgK: 3}                               | $.aggregations[0].args.lgK         | lgK must be an integer between 4 and 26, got '3'",
        "merchant | APPROX_UNIQUE_COUNT  | {lgK: 27}                              | $.aggregations[0].args.lgK         | lgK must be an integer between 4 and 26, got '27'"})
    void badArgs(String column, String op, String args, String path, String message) {
      assertThat(problems(withAggregations("{inputColumn: " + column + ", operation: " + op + ", args: " + args + "}")))
          .containsExactly(new Problem(path, message));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "TOP_K                | {k: '1'}",
        "TOP_K                | {k: 10000}",
        "APPROX_PERCENTILE    | {percentiles: '0,0.5,1', k: 8}",
        "APPROX_UNIQUE_COUNT  | {lgK: 4}",
        "APPROX_UNIQUE_COUNT  | {lgK: 26}",
        "BOUNDED_UNIQUE_COUNT | {k: 8}"})
    void argsAtTheEdgesOfTheirRangeAreFine(String op, String args) {
      assertThat(compiled(withAggregations("{inputColumn: qty, operation: " + op + ", args: " + args + "}")).features()).hasSize(1);
    }
  }

  @Nested
  class Streaming {

    @Test
    void theWatermarkDelayMustNotExceedTheAllowedLateness() {
      assertOneProblem(replace("{watermarkDelay: 5m, allowedLateness: 1h}", "{watermarkDelay: 2h, allowedLateness: 90m}"),
          "$.streaming.watermarkDelay", "watermarkDelay (2h) must not exceed allowedLateness (90m)");
    }

    @Test
    void equalDelayAndLatenessAreFine() {
      assertThat(compiled(replace("{watermarkDelay: 5m, allowedLateness: 1h}", "{watermarkDelay: 1h, allowedLateness: 60m}"))
          .definition().streaming().watermarkDelay()).hasMinutes(60);
    }

    @Test
    void aBadDurationIsReportedWithoutAConsequentialSecondProblem() {
      assertThat(problems(replace("{watermarkDelay: 5m, allowedLateness: 1h}", "{watermarkDelay: soon, allowedLateness: 1m}")))
          .containsExactly(new Problem("$.streaming.watermarkDelay", "bad duration 'soon': expected <n>s, <n>m, <n>h or <n>d, e.g. 5m"));
    }
  }

  @Nested
  class ManyProblemsAtOnce {

    @Test
    void everyProblemIsReportedAtOnce() {
      String doc = """
          name: Bad-Name
          online: true
          keys: [user_id, amount, nobody]
          sources:
            - events:
                schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, ts: LONG, bad: TEXT}
                query:
                  selects: {user_id: user_id, merchant: merchant, amount: amount}
                  wheres: ['amount + 1.0']
                  timeColumn: when
          aggregations:
            - {inputColumn: amount, operation: MEDIAN}
            - {inputColumn: merchant, operation: SUM, windows: [1h, 2w, 1h]}
            - {inputColumn: amt, operation: TOP_K, args: {k: "0"}}
            - {inputColumn: amount, operation: APPROX_PERCENTILE, buckets: [shop, amount]}
            - {inputColumn: amount, operation: COUNT, windows: [7d]}
            - {inputColumn: amount, operation: COUNT, windows: [7d]}
          streaming: {watermarkDelay: 2h, allowedLateness: 1h}
          """;

      List<Problem> problems = problems(doc);

      assertThat(problems).extracting(Problem::path).containsExactly(
          // reading
          "$.sources[0].events.schema.bad",
          "$.aggregations[0].operation",
          "$.aggregations[1].windows[1]",
          // validation
          "$.name",
          "$.sources[0].events.topic",
          "$.sources[0].events.table",
          "$.sources[0].events.query.wheres[0]",
          "$.sources[0].events.query.timeColumn",
          "$.keys[1]",
          "$.keys[2]",
          "$.aggregations[1].operation",
          "$.aggregations[1].windows[2]",
          "$.aggregations[2].inputColumn",
          "$.aggregations[2].args.k",
          "$.aggregations[3].args.percentiles",
          "$.aggregations[3].buckets[0]",
          "$.aggregations[3].buckets[1]",
          "$.aggregations[5]",
          "$.streaming.watermarkDelay");
      assertThat(problems).hasSize(19);
    }

    @Test
    void columnChecksStillRunWhenAWhereOrTheTimeColumnIsBroken() {
      String doc = replace("['currency == \"USD\"']", "['currency = \"USD\"']")
          .replace("timeColumn: ts", "timeColumn: time")
          .replace("{inputColumn: amount, operation: AVG, windows: [1h]}", "{inputColumn: amt, operation: AVG, windows: [1h]}");

      assertThat(problems(doc)).extracting(Problem::path).containsExactly(
          "$.sources[0].events.query.wheres[0]",
          "$.sources[0].events.query.timeColumn",
          "$.aggregations[0].inputColumn");
    }

    @Test
    void checksThatNeedNoColumnsStillRunWhenNoSourceCompiles() {
      String doc = replace("tags: tags}", "tags: tags, broken: 'amount +'}")
          .replace("{inputColumn: amount, operation: AVG, windows: [1h]}",
              "{inputColumn: amount, operation: TOP_K, windows: [1h, 1h], args: {k: '0'}}");

      List<Problem> problems = problems(doc);

      assertThat(problems).hasSize(3);
      assertThat(problems.getFirst().path()).isEqualTo("$.sources[0].events.query.selects.broken");
      assertThat(problems.getFirst().message()).startsWith("CEL: at 1:");
      assertThat(problems.subList(1, 3)).containsExactly(
          new Problem("$.aggregations[0].args.k", "k must be an integer between 1 and 10000, got '0'"),
          new Problem("$.aggregations[0].windows[1]", "window 1h is listed twice"));
    }

    @Test
    void orThrowListsEveryProblem() {
      CompileResult r = GroupByCompiler.compile(replace("name: purchases_by_user", "name: X").replace("keys: [user_id]", "keys: [x]"));

      assertThatThrownBy(r::orThrow)
          .isInstanceOf(InvalidGroupByException.class)
          .hasMessageContaining("$.name: 'X' is not a valid name")
          .hasMessageContaining("$.keys[0]: key 'x' is not a selected column")
          .satisfies(e -> assertThat(((InvalidGroupByException) e).problems()).hasSize(2));
    }
  }

  @Nested
  class DerivedInfo {

    private CompiledGroupBy designExample() {
      try (var in = ValidationTest.class.getResourceAsStream("/definitions/fraud_features.yaml")) {
        return compiled(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private static Map<String, String> typeSpecs(CompiledGroupBy g) {
      Map<String, String> specs = new LinkedHashMap<>();
      g.featureTypes().forEach((name, type) -> specs.put(name, type.spec()));
      return specs;
    }

    @Test
    void featureNamesAndTypesOfTheDesignExample() {
      CompiledGroupBy g = designExample();

      assertThat(typeSpecs(g)).containsExactly(
          Map.entry("amount_avg_1h", "DOUBLE"),
          Map.entry("amount_avg_24h", "DOUBLE"),
          Map.entry("amount_sum_7d_by_merchant", "MAP<STRING,DOUBLE>"),
          Map.entry("amount_approx_percentile_30d", "LIST<DOUBLE>"),
          Map.entry("merchant_last_k", "LIST<STRING>"));
      assertThat(g.featureTypes().get("amount_sum_7d_by_merchant")).isEqualTo(new DataType.MapType(DataType.Primitive.DOUBLE));
      assertThat(g.featureTypes().get("merchant_last_k")).isEqualTo(new DataType.ListType(DataType.Primitive.STRING));
    }

    @Test
    void featuresKnowTheirWindow() {
      CompiledGroupBy g = designExample();

      assertThat(g.features()).extracting(Feature::name, f -> f.isLifetime() ? "lifetime" : f.window().spec()).containsExactly(
          org.assertj.core.groups.Tuple.tuple("amount_avg_1h", "1h"),
          org.assertj.core.groups.Tuple.tuple("amount_avg_24h", "24h"),
          org.assertj.core.groups.Tuple.tuple("amount_sum_7d_by_merchant", "7d"),
          org.assertj.core.groups.Tuple.tuple("amount_approx_percentile_30d", "30d"),
          org.assertj.core.groups.Tuple.tuple("merchant_last_k", "lifetime"));
      assertThat(g.features().get(0).column()).as("1h and 24h of one aggregation share its IR column")
          .isEqualTo(g.features().get(1).column());
      assertThat(g.schema().names()).containsExactly("user_id", "merchant", "amount", "big");
      assertThat(g.schema().type("big")).isEqualTo(DataType.Primitive.LONG);
    }

    @Test
    void outputTypesFollowTheResultConventions() {
      CompiledGroupBy g = compiled(withAggregations(
          "{inputColumn: qty, operation: SUM}",
          "{inputColumn: items, operation: SUM}",
          "{inputColumn: amount, operation: SUM}",
          "{inputColumn: price, operation: SUM}",
          "{inputColumn: qty, operation: AVG}",
          "{inputColumn: merchant, operation: COUNT}",
          "{inputColumn: merchant, operation: MIN}",
          "{inputColumn: items, operation: MAX}",
          "{inputColumn: amount, operation: STDDEV}",
          "{inputColumn: flag, operation: LAST}",
          "{inputColumn: items, operation: TOP_K}",
          "{inputColumn: merchant, operation: UNIQUE_COUNT}",
          "{inputColumn: merchant, operation: HISTOGRAM}",
          "{inputColumn: qty, operation: APPROX_PERCENTILE, args: {percentiles: '0.5'}}",
          "{inputColumn: amount, operation: COUNT, buckets: [merchant]}"));

      assertThat(typeSpecs(g)).containsExactly(
          Map.entry("qty_sum", "LONG"),
          Map.entry("items_sum", "LONG"),
          Map.entry("amount_sum", "DOUBLE"),
          Map.entry("price_sum", "DOUBLE"),
          Map.entry("qty_avg", "DOUBLE"),
          Map.entry("merchant_count", "LONG"),
          Map.entry("merchant_min", "STRING"),
          Map.entry("items_max", "LONG"),
          Map.entry("amount_stddev", "DOUBLE"),
          Map.entry("flag_last", "BOOLEAN"),
          Map.entry("items_top_k", "LIST<LONG>"),
          Map.entry("merchant_unique_count", "LONG"),
          Map.entry("merchant_histogram", "MAP<STRING,LONG>"),
          Map.entry("qty_approx_percentile", "LIST<DOUBLE>"),
          Map.entry("amount_count_by_merchant", "MAP<STRING,LONG>"));
    }

    @Test
    void hopsAre5MinutesBelow12Hours1HourBelow12DaysAnd1DayFrom12DaysOn() {
      CompiledGroupBy g = compiled(withAggregations("{inputColumn: amount, operation: SUM, windows: [1m, 11h, 12h, 11d, 12d, 30d]}"));

      assertThat(g.hops()).containsExactly(
          Map.entry("1m", 5 * Window.MINUTE),
          Map.entry("11h", 5 * Window.MINUTE),
          Map.entry("12h", Window.HOUR),
          Map.entry("11d", Window.HOUR),
          Map.entry("12d", Window.DAY),
          Map.entry("30d", Window.DAY));
    }

    @Test
    void hopsJustBelowTheBoundaries() {
      CompiledGroupBy g = compiled(withAggregations("{inputColumn: amount, operation: SUM, windows: [719m, 720m, 287h, 288h]}"));

      assertThat(g.hops()).containsExactly(
          Map.entry("719m", 5 * Window.MINUTE),
          Map.entry("720m", Window.HOUR),
          Map.entry("287h", Window.HOUR),
          Map.entry("288h", Window.DAY));
    }

    @ParameterizedTest(name = "windows {0} -> tile size {1} minutes")
    @CsvSource(delimiter = '|', value = {
        "[1h, 24h, 7d, 30d] | 5",
        "[11h, 30d]         | 5",
        "[12h, 30d]         | 60",
        "[12h, 11d]         | 60",
        "[12d]              | 1440",
        "[12d, 30d]         | 1440"})
    void theTileSizeIsTheSmallestHop(String windows, long minutes) {
      CompiledGroupBy g = compiled(withAggregations(
          "{inputColumn: amount, operation: SUM, windows: " + windows + "}",
          "{inputColumn: amount, operation: COUNT}"));

      assertThat(g.tileSize()).isEqualTo(minutes * Window.MINUTE);
    }

    @Test
    void theTileSizeIs5MinutesWhenThereAreOnlyLifetimeAggregates() {
      CompiledGroupBy g = compiled(withAggregations("{inputColumn: amount, operation: SUM}", "{inputColumn: merchant, operation: LAST}"));

      assertThat(g.hops()).isEmpty();
      assertThat(g.tileSize()).isEqualTo(5 * Window.MINUTE);
    }

    @Test
    void theDesignExampleHasTilesOf5Minutes() {
      CompiledGroupBy g = designExample();

      assertThat(g.tileSize()).isEqualTo(5 * Window.MINUTE);
      assertThat(g.hops()).containsExactly(
          Map.entry("1h", 5 * Window.MINUTE), Map.entry("24h", Window.HOUR), Map.entry("7d", Window.HOUR), Map.entry("30d", Window.DAY));
    }

    @Test
    void theBuilderAndTheDocumentCompileToTheSameFeatures() {
      GroupBy built = GroupBy.builder("purchases_by_user").online(false).keys("user_id")
          .source(EventSource.builder().table("purchases").column("user_id", "STRING").column("amount", "DOUBLE")
              .column("ts", "LONG").timeColumn("ts").build())
          .aggregate("amount", Operation.SUM, "1h", "7d")
          .aggregation(dev.tessera.agg.definition.Aggregation.of("amount", Operation.TOP_K).withArg("k", "3"))
          .build();

      CompileResult r = GroupByCompiler.compile(built);

      assertThat(r.problems()).isEmpty();
      assertThat(typeSpecs(r.orThrow())).containsExactly(
          Map.entry("amount_sum_1h", "DOUBLE"), Map.entry("amount_sum_7d", "DOUBLE"), Map.entry("amount_top_k", "LIST<DOUBLE>"));
    }
  }
}
