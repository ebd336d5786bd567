package dev.tessera.agg.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.DataType.ListType;
import dev.tessera.agg.definition.DataType.MapType;
import dev.tessera.agg.definition.DataType.Primitive;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Reading GroupBy documents (JSON and YAML, DESIGN.md "The GroupBy definition"), writing them back,
 * and the problems the reader reports for documents it cannot fully understand.
 */
class GroupByReaderWriterTest {

  /** The example of DESIGN.md, copied verbatim. */
  static String designExampleYaml() {
    try (InputStream in = GroupByReaderWriterTest.class.getResourceAsStream("/definitions/fraud_features.yaml")) {
      assertThat(in).as("test resource definitions/fraud_features.yaml").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same definition as {@link #designExampleYaml()}, written as JSON by hand. */
  static final String DESIGN_EXAMPLE_JSON = """
      {
        "name": "fraud_features",
        "team": "risk",
        "description": "purchase statistics per user",
        "online": true,
        "keys": ["user_id"],
        "sources": [
          {"events": {
            "table": "purchases",
            "topic": "purchases",
            "schema": {"user_id": "STRING", "merchant": "STRING", "amount": "DOUBLE", "currency": "STRING", "ts": "LONG"},
            "query": {
              "selects": {"user_id": "user_id", "merchant": "merchant", "amount": "amount", "big": "amount > 100.0 ? 1 : 0"},
              "wheres": ["currency == \\"USD\\""],
              "timeColumn": "ts"
            }
          }}
        ],
        "aggregations": [
          {"inputColumn": "amount", "operation": "AVG", "windows": ["1h", "24h"]},
          {"inputColumn": "amount", "operation": "SUM", "windows": ["7d"], "buckets": ["merchant"]},
          {"inputColumn": "amount", "operation": "APPROX_PERCENTILE", "windows": ["30d"], "args": {"percentiles": "0.5,0.99"}},
          {"inputColumn": "merchant", "operation": "LAST_K", "args": {"k": "5"}}
        ],
        "streaming": {"watermarkDelay": "5m", "allowedLateness": "1h"}
      }
      """;

  /** The same definition again, written with the Java builders. */
  static GroupBy designExampleBuilt() {
    return GroupBy.builder("fraud_features")
        .team("risk")
        .description("purchase statistics per user")
        .online(true)
        .keys("user_id")
        .source(EventSource.builder()
            .table("purchases")
            .topic("purchases")
            .column("user_id", "STRING")
            .column("merchant", "STRING")
            .column("amount", Primitive.DOUBLE)
            .column("currency", "STRING")
            .column("ts", "LONG")
            .select("user_id", "user_id")
            .select("merchant", "merchant")
            .select("amount", "amount")
            .select("big", "amount > 100.0 ? 1 : 0")
            .where("currency == \"USD\"")
            .timeColumn("ts")
            .build())
        .aggregate("amount", Operation.AVG, "1h", "24h")
        .aggregation(Aggregation.of("amount", Operation.SUM, "7d").withBuckets("merchant"))
        .aggregation(Aggregation.of("amount", Operation.APPROX_PERCENTILE, "30d").withArg("percentiles", "0.5,0.99"))
        .aggregation(Aggregation.of("merchant", Operation.LAST_K).withArg("k", "5"))
        .streaming(new StreamingConfig(Duration.ofMinutes(5), Duration.ofHours(1)))
        .build();
  }

  private static GroupBy readOk(String text) {
    ParseResult r = GroupByReader.read(text);
    assertThat(r.problems()).as("problems reading%n%s", text).isEmpty();
    assertThat(r.ok()).isTrue();
    return r.groupBy();
  }

  private static List<Problem> readProblems(String text) {
    ParseResult r = GroupByReader.read(text);
    assertThat(r.ok()).as("%s should not read cleanly", text).isFalse();
    return r.problems();
  }

  @Nested
  class TheDesignExample {

    @Test
    void parsesWithoutProblemsIntoTheModel() {
      GroupBy g = readOk(designExampleYaml());

      assertThat(g.name()).isEqualTo("fraud_features");
      assertThat(g.team()).isEqualTo("risk");
      assertThat(g.description()).isEqualTo("purchase statistics per user");
      assertThat(g.online()).isTrue();
      assertThat(g.keys()).containsExactly("user_id");

      assertThat(g.sources()).hasSize(1);
      EventSource events = (EventSource) g.sources().getFirst();
      assertThat(events.table()).isEqualTo("purchases");
      assertThat(events.topic()).isEqualTo("purchases");
      assertThat(events.schema()).containsExactly(
          Map.entry("user_id", Primitive.STRING), Map.entry("merchant", Primitive.STRING),
          Map.entry("amount", Primitive.DOUBLE), Map.entry("currency", Primitive.STRING), Map.entry("ts", Primitive.LONG));
      assertThat(events.query().selects()).containsExactly(
          Map.entry("user_id", "user_id"), Map.entry("merchant", "merchant"), Map.entry("amount", "amount"),
          Map.entry("big", "amount > 100.0 ? 1 : 0"));
      assertThat(events.query().wheres()).containsExactly("currency == \"USD\"");
      assertThat(events.query().timeColumn()).isEqualTo("ts");

      assertThat(g.aggregations()).containsExactly(
          new Aggregation("amount", Operation.AVG, List.of(Window.ofHours(1), Window.ofHours(24)), List.of(), Map.of()),
          new Aggregation("amount", Operation.SUM, List.of(Window.ofDays(7)), List.of("merchant"), Map.of()),
          new Aggregation("amount", Operation.APPROX_PERCENTILE, List.of(Window.ofDays(30)), List.of(), Map.of("percentiles", "0.5,0.99")),
          new Aggregation("merchant", Operation.LAST_K, List.of(), List.of(), Map.of("k", "5")));
      assertThat(g.aggregations().get(3).isLifetime()).isTrue();
      assertThat(g.streaming()).isEqualTo(new StreamingConfig(Duration.ofMinutes(5), Duration.ofHours(1)));
    }

    @Test
    void compilesWithoutProblems() {
      CompileResult r = GroupByCompiler.compile(designExampleYaml());

      assertThat(r.problems()).isEmpty();
      assertThat(r.ok()).isTrue();
    }

    @Test
    void jsonAndYamlGiveEqualGroupBys() {
      GroupBy fromYaml = readOk(designExampleYaml());
      GroupBy fromJson = readOk(DESIGN_EXAMPLE_JSON);

      assertThat(fromJson).isEqualTo(fromYaml);
      assertThat(GroupByReader.read(DESIGN_EXAMPLE_JSON, GroupByReader.Format.JSON).groupBy()).isEqualTo(fromYaml);
      assertThat(GroupByReader.read(DESIGN_EXAMPLE_JSON, GroupByReader.Format.YAML).groupBy())
          .as("YAML is a superset of JSON").isEqualTo(fromYaml);
    }

    @Test
    void theJavaBuilderProducesTheSameGroupByAsTheYaml() {
      assertThat(designExampleBuilt()).isEqualTo(readOk(designExampleYaml()));
    }

    @Test
    void writerOutputReadsBackEqual() {
      GroupBy g = readOk(designExampleYaml());

      assertThat(readOk(GroupByWriter.toJson(g))).isEqualTo(g);
      assertThat(readOk(GroupByWriter.toCompactJson(g))).isEqualTo(g);
      assertThat(readOk(GroupByWriter.toYaml(g))).isEqualTo(g);
      assertThat(GroupByReader.read(GroupByWriter.toTree(g)).groupBy()).isEqualTo(g);
    }

    @Test
    void writerWritesTheDocumentFormat() {
      GroupBy g = readOk(designExampleYaml());

      var tree = GroupByWriter.toTree(g);
      assertThat(tree.get("name").asString()).isEqualTo("fraud_features");
      assertThat(tree.get("aggregations").get(0).get("operation").asString()).isEqualTo("AVG");
      assertThat(tree.get("aggregations").get(0).get("windows").get(1).asString()).isEqualTo("24h");
      assertThat(tree.get("aggregations").get(3).has("windows")).as("lifetime: no windows").isFalse();
      assertThat(tree.get("aggregations").get(3).get("args").get("k").asString()).isEqualTo("5");
      assertThat(tree.get("streaming").get("watermarkDelay").asString()).isEqualTo("5m");
      assertThat(tree.get("sources").get(0).get("events").get("schema").get("amount").asString()).isEqualTo("DOUBLE");
    }
  }

  @Nested
  class RoundTrips {

    /** Strings a YAML writer that minimizes quotes could turn into numbers, booleans, nulls or comments. */
    private GroupBy tricky() {
      return GroupBy.builder("tricky")
          .team("null")
          .description("yes")
          .keys("on")
          .source(EventSource.builder()
              .table("~")
              .column("on", "STRING")
              .column("x", "DOUBLE")
              .column("tags", "LIST<STRING>")
              .column("attrs", "map<string, list<long>>")
              .column("ts", "LONG")
              .select("on", "on")
              .select("x", "x > 1.0 ? 1.50 : -2.0")
              .select("half", "0.50")
              .select("thousand", "1e3")
              .select("y", "'#not a comment: *star & {brace}'")
              .select("z", "x == 1.0\n  && on == \"a\"")
              .where("on != 'null'")
              .where("- x < 0.0")
              .timeColumn("ts")
              .build())
          .aggregation(new Aggregation("x", Operation.TOP_K, List.of(Window.ofHours(1)), List.of("on"), Map.of("k", "5")))
          .aggregation(new Aggregation("on", Operation.APPROX_UNIQUE_COUNT, List.of(), List.of(), Map.of("lgK", "012")))
          .aggregation(new Aggregation("x", Operation.APPROX_PERCENTILE, List.of(), List.of(),
              new LinkedHashMap<>(Map.of("percentiles", "0.50", "k", "1e3"))))
          .aggregation(new Aggregation("on", Operation.LAST, List.of(), List.of(), Map.of("note", ".inf")))
          .streaming(new StreamingConfig(Duration.ofSeconds(90), Duration.ofDays(2)))
          .build();
    }

    @Test
    void yamlKeepsStringsThatLookLikeNumbersBooleansOrNulls() {
      GroupBy g = tricky();

      String yaml = GroupByWriter.toYaml(g);

      assertThat(readOk(yaml)).as("read back from%n%s", yaml).isEqualTo(g);
    }

    @Test
    void jsonKeepsEverything() {
      GroupBy g = tricky();

      assertThat(readOk(GroupByWriter.toJson(g))).isEqualTo(g);
      assertThat(readOk(GroupByWriter.toCompactJson(g))).isEqualTo(g);
    }

    @Test
    void complexSchemaTypesRoundTripByTheirSpec() {
      GroupBy g = tricky();
      EventSource back = (EventSource) readOk(GroupByWriter.toYaml(g)).sources().getFirst();

      assertThat(back.schema().get("tags")).isEqualTo(new ListType(Primitive.STRING));
      assertThat(back.schema().get("attrs")).isEqualTo(new MapType(new ListType(Primitive.LONG)));
      assertThat(back.schema().get("attrs").spec()).isEqualTo("MAP<STRING,LIST<LONG>>");
    }

    @Test
    void durationsAreWrittenInTheShortestNotation() {
      String yaml = GroupByWriter.toYaml(tricky());

      assertThat(yaml).contains("watermarkDelay: 90s").contains("allowedLateness: 2d");
    }
  }

  @Nested
  class Operations {

    @Test
    void averageIsAnAliasOfAvg() {
      String doc = designExampleYaml().replace("operation: AVG", "operation: AVERAGE");
      assertThat(doc).contains("AVERAGE");

      GroupBy g = readOk(doc);

      assertThat(g.aggregations().getFirst().operation()).isEqualTo(Operation.AVG);
      assertThat(g).isEqualTo(readOk(designExampleYaml()));
      assertThat(GroupByCompiler.compile(doc).orThrow().featureTypes()).containsKey("amount_avg_1h");
    }

    @Test
    void operationNamesAreCaseInsensitive() {
      assertThat(Operation.parse("average")).contains(Operation.AVG);
      assertThat(Operation.parse(" last_k ")).contains(Operation.LAST_K);
      assertThat(Operation.parse("MEDIAN")).isEmpty();
    }

    @Test
    void theWriterWritesTheCanonicalNameNotTheAlias() {
      GroupBy g = readOk(designExampleYaml().replace("operation: AVG", "operation: AVERAGE"));

      assertThat(GroupByWriter.toTree(g).get("aggregations").get(0).get("operation").asString()).isEqualTo("AVG");
    }
  }

  @Nested
  class MalformedDocuments {

    @Test
    void malformedJsonReportsLineAndColumn() {
      String json = """
          {
            "name": "fraud_features",
            "keys": ["user_id",,]
          }
          """;

      List<Problem> problems = readProblems(json);

      assertThat(problems).singleElement().satisfies(p -> {
        assertThat(p.path()).isEqualTo("$");
        assertThat(p.message()).startsWith("malformed JSON: ").endsWith("(line 3, column 22)");
      });
      assertThat(GroupByReader.read(json).groupBy()).isNull();
    }

    @Test
    void truncatedJsonReportsWhereItEnds() {
      assertThat(readProblems("{\"name\": \"x\",")).singleElement().satisfies(p -> {
        assertThat(p.path()).isEqualTo("$");
        assertThat(p.message()).startsWith("malformed JSON: ").contains("end-of-input").endsWith("(line 1, column 14)");
      });
    }

    @Test
    void malformedYamlReportsLineAndColumn() {
      String yaml = """
          name: fraud_features
          keys: [user_id
          team: risk
          """;

      List<Problem> problems = readProblems(yaml);

      assertThat(problems).singleElement().satisfies(p -> {
        assertThat(p.path()).isEqualTo("$");
        assertThat(p.message()).startsWith("malformed YAML: ").contains("expected ',' or ']'")
            .contains("line 2, column 7").contains("line 3, column 5");
      });
    }

    @Test
    void badlyIndentedYamlReportsTheLine() {
      String yaml = """
          name: fraud_features
          keys: [user_id]
            team: risk
          """;

      assertThat(readProblems(yaml)).singleElement().satisfies(p -> {
        assertThat(p.path()).isEqualTo("$");
        assertThat(p.message()).startsWith("malformed YAML: ").contains("line 3, column 3").doesNotContain("line 2");
      });
    }

    @Test
    void aPropertyWrittenTwiceIsAnErrorNotSilentlyOverwritten() {
      String yaml = designExampleYaml() + "aggregations: [{inputColumn: amount, operation: COUNT}]\n";
      String json = "{\"name\": \"a\",\n  \"keys\": [\"user_id\"], \"name\": \"b\"}";

      assertThat(readProblems(yaml)).containsExactly(new Problem("$", "malformed YAML: Duplicate Object property \"aggregations\" (line 21, column 13)"));
      assertThat(readProblems(json)).containsExactly(new Problem("$", "malformed JSON: Duplicate Object property \"name\" (line 2, column 30)"));
    }

    @Test
    void anEmptyDocumentIsAProblemNotAnException() {
      assertThat(readProblems("  \n")).containsExactly(new Problem("$", "the definition is empty"));
      assertThat(readProblems("[1, 2]")).containsExactly(
          new Problem("$", "a GroupBy must be an object with name, keys, sources and aggregations"));
    }
  }

  @Nested
  class UnknownFields {

    @Test
    void areReportedWithTheirPathAndADidYouMeanHint() {
      String doc = designExampleYaml()
          .replace("online: true", "onlin: true")
          .replace("timeColumn: ts", "timecolumn: ts")
          .replace("{inputColumn: merchant, operation: LAST_K,", "{inputColumn: merchant, operation: LAST_K, window: [1h],")
          .replace("watermarkDelay: 5m", "watermarkDeley: 5m")
          .replace("      topic: purchases", "      topics: purchases");

      List<Problem> problems = readProblems(doc);

      assertThat(problems).containsExactlyInAnyOrder(
          new Problem("$.onlin", "unknown field 'onlin' (did you mean 'online'?)"),
          new Problem("$.sources[0].events.topics", "unknown field 'topics' (did you mean 'topic'?)"),
          new Problem("$.sources[0].events.query.timecolumn", "unknown field 'timecolumn' (did you mean 'timeColumn'?)"),
          new Problem("$.aggregations[3].window", "unknown field 'window' (did you mean 'windows'?)"),
          new Problem("$.streaming.watermarkDeley", "unknown field 'watermarkDeley' (did you mean 'watermarkDelay'?)"));
    }

    @Test
    void transposedLettersStillGetAHint() {
      String doc = designExampleYaml().replace("operation: SUM", "opreation: SUM");

      assertThat(readProblems(doc)).contains(
          new Problem("$.aggregations[1].opreation", "unknown field 'opreation' (did you mean 'operation'?)"));
    }

    @Test
    void withoutACloseMatchTheKnownFieldsAreListed() {
      String doc = designExampleYaml().replace("team: risk", "owner: risk");

      assertThat(readProblems(doc)).containsExactly(new Problem("$.owner",
          "unknown field 'owner' (known fields: aggregations, description, keys, name, online, sources, streaming, team)"));
    }

    @Test
    void oddNamesAreQuotedInThePath() {
      String doc = designExampleYaml().replace("team: risk", "'my team': risk");

      assertThat(readProblems(doc)).singleElement().extracting(Problem::path).isEqualTo("$['my team']");
    }
  }

  @Nested
  class WrongTypes {

    @Test
    void keysThatAreNotAListAreReportedOnce() {
      String doc = designExampleYaml().replace("keys: [user_id]", "keys: {user_id: 1}");

      assertThat(readProblems(doc)).containsExactly(new Problem("$.keys", "must be a list of strings"));
      assertThat(GroupByCompiler.compile(doc).problems())
          .as("the compiler does not add 'at least one key is required' for the same mistake")
          .containsExactly(new Problem("$.keys", "must be a list of strings"));
    }

    @Test
    void windowsThatAreNotStrings() {
      String doc = designExampleYaml().replace("windows: [1h, 24h]", "windows: [1h, {every: 24h}, [7d]]");

      assertThat(readProblems(doc)).containsExactly(
          new Problem("$.aggregations[0].windows[1]", "must be a string"),
          new Problem("$.aggregations[0].windows[2]", "must be a string"));
    }

    @Test
    void argsThatAreNotAnObject() {
      String doc = designExampleYaml().replace("args: {k: \"5\"}", "args: [k, 5]");

      assertThat(readProblems(doc)).containsExactly(
          new Problem("$.aggregations[3].args", "must be an object of name -> value, e.g. {k: \"5\"}"));
    }

    @Test
    void anArgThatIsNotASingleValue() {
      String doc = designExampleYaml().replace("{percentiles: \"0.5,0.99\"}", "{percentiles: [0.5, 0.99]}");

      assertThat(readProblems(doc)).containsExactly(
          new Problem("$.aggregations[2].args.percentiles", "must be a single value"));
    }

    @Test
    void scalarsWhereObjectsOrListsBelong() {
      String doc = designExampleYaml()
          .replace("online: true", "online: maybe")
          .replace("schema: {user_id: STRING,", "schema: {user_id: [STRING],")
          .replace("wheres: ['currency == \"USD\"']", "wheres: {currency: USD}")
          .replace("streaming: {watermarkDelay: 5m, allowedLateness: 1h}", "streaming: 5m");

      assertThat(readProblems(doc)).containsExactly(
          new Problem("$.online", "must be true or false"),
          new Problem("$.sources[0].events.schema.user_id", "a type must be a string such as STRING, LONG or LIST<DOUBLE>"),
          new Problem("$.sources[0].events.query.wheres", "must be a list of strings"),
          new Problem("$.streaming", "must be an object with watermarkDelay and allowedLateness"));
    }

    @Test
    void sourcesAndAggregationsThatAreNotLists() {
      String doc = """
          name: x
          keys: [a]
          sources: {events: {}}
          aggregations: {inputColumn: a, operation: COUNT}
          """;

      assertThat(readProblems(doc)).containsExactly(
          new Problem("$.sources", "must be a list of sources, e.g. [{events: {...}}]"),
          new Problem("$.aggregations", "must be a list of aggregations"));
    }

    @Test
    void aScalarIsAcceptedAsAOneElementList() {
      GroupBy g = readOk(designExampleYaml().replace("keys: [user_id]", "keys: user_id").replace("windows: [7d]", "windows: 7d"));

      assertThat(g.keys()).containsExactly("user_id");
      assertThat(g.aggregations().get(1).windows()).containsExactly(Window.ofDays(7));
    }
  }

  @Nested
  class DroppedElements {

    @Test
    void anUnknownOperationIsReportedAndLaterAggregationsKeepTheirDocumentIndex() {
      String doc = """
          name: x
          keys: [user_id]
          sources:
            - events: {table: t, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}
          aggregations:
            - {inputColumn: amount, operation: MEDIAN, windows: [1h]}
            - {inputColumn: amount, operation: SUM, windows: [1h]}
            - {inputColumn: amount, operation: SUM, windows: [2h, 1w, 2h]}
            - {inputColumn: amt, operation: COUNT, args: {k: "3"}}
          """;

      ParseResult parsed = GroupByReader.read(doc);
      assertThat(parsed.groupBy().aggregations()).hasSize(3);
      assertThat(parsed.paths().aggregationIndex()).containsExactly(1, 2, 3);

      assertThat(GroupByCompiler.compile(parsed).problems()).containsExactly(
          new Problem("$.aggregations[0].operation", "unknown operation 'MEDIAN' (expected one of " + Operation.allNames() + ")"),
          new Problem("$.aggregations[2].windows[1]", "bad window '1w': expected <n>m, <n>h or <n>d with n >= 1, e.g. 30m, 1h, 7d"),
          new Problem("$.aggregations[2].windows[2]", "window 2h is listed twice"),
          new Problem("$.aggregations[3].inputColumn", "unknown column 'amt' (columns: user_id, amount, ts)"),
          new Problem("$.aggregations[3].args.k", "COUNT takes no arguments"));
    }

    @Test
    void anUnreadableSourceKeepsTheIndexOfTheNextOne() {
      String doc = """
          name: x
          keys: [user_id]
          sources:
            - kafka: {topic: purchases}
            - events: {schema: {user_id: STRING, ts: LONG}, query: {timeColumn: ts}}
          aggregations:
            - {inputColumn: user_id, operation: COUNT}
          """;

      assertThat(GroupByCompiler.compile(doc).problems()).containsExactly(
          new Problem("$.sources[0]", "unknown source kind 'kafka' (expected: events)"),
          new Problem("$.sources[1].events.table", "a warehouse table or a Parquet dataset (parquet) is required (the batch side reads it)"));
    }

    @Test
    void aMissingNameLeavesNothingToCompileButAllReadingProblemsAreReported() {
      String doc = """
          keys: 5
          sources: []
          aggregations: [{operation: SUM}]
          """;

      ParseResult parsed = GroupByReader.read(doc);

      assertThat(parsed.groupBy()).isNull();
      assertThat(parsed.problems()).containsExactly(
          new Problem("$.name", "is required"),
          new Problem("$.keys", "must be a list of strings"),
          new Problem("$.aggregations[0].inputColumn", "is required"));
      assertThat(GroupByCompiler.compile(parsed).problems()).isEqualTo(parsed.problems());
    }
  }
}
