package dev.tessera.agg.join;

import static dev.tessera.agg.join.JoinFixtures.VALID;
import static dev.tessera.agg.join.JoinFixtures.replace;
import static dev.tessera.agg.join.JoinFixtures.withDerivations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.DataType.Primitive;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.testkit.ProblemAssertions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Validation ("compile") of Joins, DESIGN-joins.md "Validation": one test per rule, each starting
 * from {@link JoinFixtures#VALID} and changing one thing; the problem comes at the JSON path of what
 * the user wrote, with a message that names what is wrong.
 */
class JoinValidationTest {

  static List<Problem> problems(String document) {
    JoinCompileResult r = JoinCompiler.compile(document, JoinFixtures.groupBys());
    return ProblemAssertions.failed(document, r.ok(), r.compiled(), r.problems());
  }

  /** Exactly one problem, at {@code path}, whose message contains every one of {@code parts}. */
  static void assertOneProblem(String document, String path, String... parts) {
    ProblemAssertions.assertOneProblem(problems(document), path, parts);
  }

  @Test
  void theValidJoinCompilesToItsColumnsInOrder() {
    CompiledJoin j = JoinFixtures.compile(VALID);
    assertThat(j.name()).isEqualTo("fraud_model");
    assertThat(j.outputColumns()).extracting(OutputColumn::name).containsExactly(
        "amount_now", "channel",
        "buyer_amount_avg_1d", "buyer_amount_count_1d", "buyer_amount_count_30d", "buyer_merchant_last_k",
        "merchant_stats_amount_count_1h",
        "pair_amount_sum_30d", "pair_amount_count_30d", "pair_amount_last",
        "amount_vs_avg", "new_pair");
    assertThat(j.requestColumns()).containsExactly(OutputColumn.request("amount_now", Primitive.DOUBLE),
        OutputColumn.request("channel", Primitive.STRING));
    assertThat(j.derivedColumns()).containsExactly(OutputColumn.derived("amount_vs_avg", Primitive.DOUBLE),
        OutputColumn.derived("new_pair", Primitive.BOOLEAN));
    assertThat(j.parts().get(0).features()).containsExactly(
        OutputColumn.feature("buyer_amount_avg_1d", Primitive.DOUBLE, 0, "amount_avg_1d"),
        OutputColumn.feature("buyer_amount_count_1d", Primitive.LONG, 0, "amount_count_1d"),
        OutputColumn.feature("buyer_amount_count_30d", Primitive.LONG, 0, "amount_count_30d"),
        OutputColumn.feature("buyer_merchant_last_k", new DataType.ListType(Primitive.STRING), 0, "merchant_last_k"));
    assertThat(j.parts()).extracting(CompiledPart::index).containsExactly(0, 1, 2);
    assertThat(j.parts()).extracting(CompiledPart::name).containsExactly("buyer", "merchant_stats", "pair");
    assertThat(j.parts().get(0).groupByVersion()).as("the live version").isEqualTo(2);
    assertThat(j.parts().get(2).leftKeyColumns()).as("in the GroupBy's key order").containsExactly("buyer", "shop");
    assertThat(j.keyColumns()).containsExactly("buyer", "shop");
  }

  @Test
  void leftKeyColumnsFollowTheGroupBysKeyOrderNotTheMappingsOrder() {
    CompiledJoin j = JoinFixtures.compile(replace("{buyer: user_id, shop: merchant}", "{shop: merchant, buyer: user_id}"));
    assertThat(j.parts().get(2).leftKeyColumns()).containsExactly("buyer", "shop");
  }

  @Test
  void nameMustBeLowercaseIdentifierOfAtMost63Characters() {
    assertOneProblem(replace("name: fraud_model", "name: Fraud-Model"), "$.name", "'Fraud-Model' is not a valid name");
    assertOneProblem(replace("name: fraud_model", "name: a" + "b".repeat(63)), "$.name", "at most 63");
  }

  @Test
  void leftIsRequired() {
    String noLeft = VALID.replaceAll("(?s)left:.*?\\nparts:", "parts:");
    // without a left there are no columns: mappings, request fields and derivations cannot be checked against it
    assertThat(problems(noLeft)).extracting(Problem::path).containsExactly("$.left");
  }

  @Test
  void leftTableIsRequired() {
    assertOneProblem(replace("  table: checkouts\n", ""), "$.left.table", "a left table or a Parquet dataset (parquet) is required");
  }

  @Test
  void leftMayBeAParquetDatasetInstead() {
    CompiledJoin j = JoinFixtures.compile(replace("  table: checkouts\n", "  parquet: checkouts/*/*.parquet\n"));
    assertThat(j.definition().left().parquet()).isEqualTo("checkouts/*/*.parquet");
  }

  @Test
  void leftTableAndParquetAreNotBothAllowed() {
    assertOneProblem(replace("  table: checkouts\n", "  table: checkouts\n  parquet: /lake/checkouts\n"), "$.left.parquet",
        "not both");
  }

  @Test
  void leftParquetPathMustNotClimbOutOfItsFolder() {
    assertOneProblem(replace("  table: checkouts\n", "  parquet: ../checkouts\n"), "$.left.parquet", "has a '..' segment");
  }

  @Test
  void leftTopicNamesTheTopicAnIngestMayLandTheTableFrom() {
    CompiledJoin j = JoinFixtures.compile(replace("  table: checkouts\n", "  table: checkouts\n  topic: shop.checkouts-v2\n"));
    assertThat(j.definition().left().topic()).isEqualTo("shop.checkouts-v2");
  }

  @Test
  void leftTopicMustBeAKafkaTopicName() {
    assertOneProblem(replace("  table: checkouts\n", "  table: checkouts\n  topic: \"check outs\"\n"), "$.left.topic",
        "is not a Kafka topic name");
  }

  @Test
  void leftTopicGoesWithATableNotAParquetDataset() {
    assertOneProblem(replace("  table: checkouts\n", "  parquet: checkouts/*.parquet\n  topic: checkouts\n"), "$.left.topic",
        "a topic goes with left.table");
  }

  @Test
  void leftTimeColumnIsRequired() {
    assertOneProblem(replace("  timeColumn: ts\n", ""), "$.left.timeColumn", "is required");
  }

  @Test
  void leftTimeColumnMustBeInTheLeftSchema() {
    assertOneProblem(replace("timeColumn: ts", "timeColumn: event_time"), "$.left.timeColumn",
        "'event_time' is not in left.schema", "buyer, shop");
  }

  @Test
  void leftTimeColumnMustBeLongOrInt() {
    assertOneProblem(replace("timeColumn: ts", "timeColumn: channel"), "$.left.timeColumn", "is STRING", "LONG (or INT)");
    assertThat(JoinCompiler.compile(replace("ts: LONG, label", "ts: INT, label"), JoinFixtures.groupBys()).ok()).isTrue();
  }

  @Test
  void leftSchemaMustHaveColumns() {
    String empty = VALID.replaceAll("schema: \\{[^}]*}", "schema: {}");
    assertThat(problems(empty)).extracting(Problem::path).containsExactly("$.left.schema");
  }

  @Test
  void atLeastOnePartIsRequired() {
    String noParts = VALID.replaceAll("(?s)parts:.*?\\nrequest:", "parts: []\nrequest:");
    assertThat(problems(noParts)).extracting(Problem::path).contains("$.parts")
        .allSatisfy(path -> assertThat(path).isIn("$.parts", "$.derivations[0].expression", "$.derivations[1].expression"));
  }

  @Test
  void aPartsGroupByMustBeKnown() {
    assertOneProblem(replace("groupBy: merchant_stats", "groupBy: merchant_statz"), "$.parts[1].groupBy",
        "unknown GroupBy 'merchant_statz'");
  }

  @Test
  void aPinnedVersionMustExist() {
    assertOneProblem(replace("    prefix: buyer\n", "    prefix: buyer\n    version: 7\n"), "$.parts[0].version",
        "GroupBy 'user_stats' has no version 7");
  }

  @Test
  void aPinnedVersionIsUsedInsteadOfTheLiveOne() {
    String pinned = replace("    prefix: buyer\n", "    prefix: buyer\n    version: 1\n")
        .replace("  - {name: amount_vs_avg, expression: \"amount_now / buyer_amount_avg_1d\"}\n", "");
    CompiledJoin j = JoinFixtures.compile(pinned);
    assertThat(j.parts().get(0).groupByVersion()).isEqualTo(1);
    assertThat(j.parts().get(0).features()).extracting(OutputColumn::name).containsExactly("buyer_amount_avg_1d");
  }

  @Test
  void aRetiredGroupByCannotBeUsed() {
    assertOneProblem(replace("groupBy: merchant_stats\n    keyMapping: {shop: merchant}",
        "groupBy: retired_stats\n    keyMapping: {buyer: user_id}"), "$.parts[1].groupBy", "'retired_stats' is retired");
  }

  @Test
  void everyGroupByKeyMustBeMapped() {
    assertOneProblem(replace("{buyer: user_id, shop: merchant}", "{buyer: user_id}"), "$.parts[2].keyMapping",
        "key 'merchant' of GroupBy 'pair_stats' is not mapped");
  }

  @Test
  void aMappingMustNameAKeyOfTheGroupBy() {
    assertOneProblem(replace("keyMapping: {buyer: user_id}", "keyMapping: {buyer: user_id, shop: merchant}"),
        "$.parts[0].keyMapping.shop", "'merchant' is not a key of GroupBy 'user_stats' (keys: user_id)");
  }

  @Test
  void aGroupByKeyCannotBeMappedTwice() {
    assertOneProblem(replace("keyMapping: {buyer: user_id}", "keyMapping: {buyer: user_id, shop: user_id}"),
        "$.parts[0].keyMapping.shop", "'user_id' is already mapped from left column 'buyer'");
  }

  @Test
  void aMappingMustBeFromAColumnOfTheLeftSchema() {
    assertOneProblem(replace("keyMapping: {buyer: user_id}", "keyMapping: {customer: user_id}"),
        "$.parts[0].keyMapping.customer", "left column 'customer' is not in left.schema");
  }

  @Test
  void aLeftColumnMustHaveTheTypeOfTheKeyItMapsTo() {
    assertOneProblem(replace("keyMapping: {buyer: user_id}", "keyMapping: {account: user_id}"),
        "$.parts[0].keyMapping.account", "left column 'account' is LONG but key 'user_id' of GroupBy 'user_stats' is STRING");
  }

  @Test
  void intAndLongAreTheSameKindOfKey() {
    String accounts = replace("  - groupBy: merchant_stats\n    keyMapping: {shop: merchant}\n",
        "  - groupBy: merchant_stats\n    keyMapping: {shop: merchant}\n  - groupBy: account_stats\n    keyMapping: {small_account: account_id}\n");
    CompiledJoin j = JoinFixtures.compile(accounts);
    assertThat(j.parts().get(2).leftKeyColumns()).containsExactly("small_account");
  }

  @Test
  void aPrefixMustBeAnIdentifier() {
    assertOneProblem(replace("prefix: pair", "prefix: Pair-1"), "$.parts[2].prefix", "'Pair-1' is not a valid prefix");
  }

  @Test
  void aRequestFieldMustBeInTheLeftSchema() {
    assertOneProblem(replace("request: [amount_now, channel]", "request: [amount_now, channel, device]"),
        "$.request[2]", "request field 'device' is not a column of left.schema");
  }

  @Test
  void aRequestFieldCannotBeListedTwice() {
    assertOneProblem(replace("request: [amount_now, channel]", "request: [amount_now, channel, amount_now]"),
        "$.request[2]", "'amount_now' is listed twice");
  }

  @Test
  void outputNamesOfTwoPartsMustNotCollide() {
    // pair_stats has amount_count_30d like user_stats: with the same prefix both give buyer_amount_count_30d
    String sharedPrefix = replace("prefix: pair", "prefix: buyer").replace("pair_amount_count_30d == 0", "amount_now > 0.0");
    assertOneProblem(sharedPrefix, "$.parts[2].prefix",
        "buyer_amount_count_30d", "of part 2", "part 0 ($.parts[0], 'buyer')");
  }

  @Test
  void aDerivationMustNotHaveTheNameOfARequestField() {
    assertOneProblem(withDerivations("{name: channel, expression: \"amount_now * 2.0\"}"), "$.derivations[0].name",
        "'channel' has the name of request field 'channel' ($.request[1])");
  }

  @Test
  void aDerivationMustNotHaveTheNameOfAFeature() {
    assertOneProblem(withDerivations("{name: pair_amount_last, expression: \"amount_now * 2.0\"}"), "$.derivations[0].name",
        "has the name of part 2 ($.parts[2], 'pair')");
  }

  @Test
  void twoDerivationsMustNotHaveTheSameName() {
    assertOneProblem(withDerivations("{name: twice, expression: \"amount_now * 2.0\"}", "{name: twice, expression: \"1\"}"),
        "$.derivations[1].name", "derivation 'twice' ($.derivations[0])");
  }

  @Test
  void aDerivationNameMustBeAnIdentifier() {
    assertOneProblem(withDerivations("{name: Amount-Ratio, expression: \"amount_now * 2.0\"}"), "$.derivations[0].name",
        "'Amount-Ratio' is not a valid derivation name");
  }

  @Test
  void aDerivationSyntaxErrorKeepsCelsPositionAndCaret() {
    assertThat(problems(withDerivations("{name: broken, expression: \"amount_now * (2.0\"}"))).singleElement()
        .satisfies(p -> {
          assertThat(p.path()).isEqualTo("$.derivations[0].expression");
          assertThat(p.message()).startsWith("CEL: at 1:").contains("^");
        });
  }

  @Test
  void aDerivationTypeErrorKeepsCelsPositionAndCaret() {
    assertThat(problems(withDerivations("{name: broken, expression: \"amount_now + channel\"}"))).singleElement()
        .satisfies(p -> {
          assertThat(p.path()).isEqualTo("$.derivations[0].expression");
          assertThat(p.message()).startsWith("CEL: at 1:12").contains("no matching overload", "^");
        });
  }

  @Test
  void anEmptyDerivationExpressionIsReported() {
    assertOneProblem(withDerivations("{name: nothing, expression: \"  \"}"), "$.derivations[0].expression", "is required");
  }

  @Test
  void aDerivationMustGiveAnIntDoubleBoolOrString() {
    assertOneProblem(withDerivations("{name: merchants, expression: \"buyer_merchant_last_k\"}"), "$.derivations[0].expression",
        "has type list(string)", "must give an int, double, bool or string");
  }

  @Test
  void derivedColumnsTakeTheirTypeFromCel() {
    CompiledJoin j = JoinFixtures.compile(withDerivations(
        "{name: d_long, expression: \"buyer_amount_count_1d + 1\"}",
        "{name: d_double, expression: \"amount_now * 2.0\"}",
        "{name: d_bool, expression: \"amount_now > 100\"}",
        "{name: d_string, expression: \"channel + '_x'\"}",
        "{name: d_list_size, expression: \"size(buyer_merchant_last_k)\"}"));
    assertThat(j.derivedColumns()).extracting(OutputColumn::type)
        .containsExactly(Primitive.LONG, Primitive.DOUBLE, Primitive.BOOLEAN, Primitive.STRING, Primitive.LONG);
  }

  @Test
  void aDerivationCannotReadAnotherDerivation() {
    assertOneProblem(withDerivations("{name: ratio, expression: \"amount_now / buyer_amount_avg_1d\"}",
        "{name: big_ratio, expression: \"ratio > 2.0\"}"), "$.derivations[1].expression",
        "undeclared reference to 'ratio'", "not other derivations such as ratio");
  }

  @Test
  void aDerivationCannotReadALeftColumnThatIsNotARequestField() {
    assertOneProblem(withDerivations("{name: labelled, expression: \"label == 1\"}"), "$.derivations[0].expression",
        "undeclared reference to 'label'");
  }

  @Test
  void anOnlineJoinNeedsOnlineGroupBys() {
    String offlinePart = replace("groupBy: merchant_stats\n    keyMapping: {shop: merchant}",
        "groupBy: offline_stats\n    keyMapping: {buyer: user_id}");
    assertOneProblem(offlinePart, "$.parts[1].groupBy", "the Join is online but GroupBy 'offline_stats' is not");
    assertThat(JoinCompiler.compile(offlinePart.replace("online: true", "online: false"), JoinFixtures.groupBys()).ok()).isTrue();
  }

  @Test
  void derivationsOverAnUnknownPartAreOnlyCheckedForSyntax() {
    String doc = replace("groupBy: user_stats", "groupBy: users");
    // amount_vs_avg reads buyer_amount_avg_1d, unknown since its part is: no second problem for it
    assertThat(problems(doc)).extracting(Problem::path).containsExactly("$.parts[0].groupBy");
    String broken = doc.replace("pair_amount_count_30d == 0", "pair_amount_count_30d == ");
    assertThat(problems(broken)).extracting(Problem::path).containsExactly("$.parts[0].groupBy", "$.derivations[1].expression");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String doc = VALID.replace("name: fraud_model", "name: Fraud")
        .replace("timeColumn: ts", "timeColumn: when")
        .replace("groupBy: merchant_stats", "groupBy: nope")
        .replace("prefix: pair", "prefix: Pair")
        .replace("request: [amount_now, channel]", "request: [amount_now, channel, device]")
        .replace("pair_amount_count_30d == 0", "pair_amount_count_30d == ");
    assertThat(problems(doc)).extracting(Problem::path).containsExactlyInAnyOrder("$.name", "$.left.timeColumn",
        "$.parts[1].groupBy", "$.parts[2].prefix", "$.request[2]", "$.derivations[1].expression");
  }

  @Test
  void readingAndCompilingProblemsComeTogetherWithTheDocumentsPaths() {
    // part 0 cannot be read at all: the problems of the others still carry their own document index
    String doc = replace("parts:\n", "parts:\n  - just_a_name\n").replace("prefix: pair", "prefix: Pair");
    assertThat(problems(doc)).extracting(Problem::path).containsExactly("$.parts[0]", "$.parts[3].prefix");
  }

  @Test
  void aJoinBuiltInCodeCompilesLikeItsDocument() {
    Join j = JoinReader.read(VALID).join();
    JoinCompileResult r = JoinCompiler.compile(j, JoinFixtures.groupBys());
    assertThat(r.ok()).isTrue();
    assertThat(r.compiled().outputColumns()).isEqualTo(JoinFixtures.compile(VALID).outputColumns());
    assertThatThrownBy(() -> JoinCompiler.compile(Join.builder("x").build(), JoinFixtures.groupBys()).orThrow())
        .isInstanceOf(InvalidJoinException.class).hasMessageContaining("$.left").hasMessageContaining("$.parts");
  }
}
