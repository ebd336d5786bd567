package dev.tessera.registry.groupby;

import static dev.tessera.registry.Definitions.json;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.InvalidDefinitionException;
import dev.tessera.registry.definition.LocatedProblem;
import dev.tessera.registry.definition.Validation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every validation rule of DESIGN.md reaches the user with its JSON path and the line of the
 * document it concerns, all problems at once.
 */
class DefinitionValidatorTest {

  private static Validation<GroupBy, CompiledGroupBy> validateYaml(String text) {
    return DefinitionValidator.validate(DefinitionDocument.of(text, DocumentFormat.YAML));
  }

  private static LocatedProblem only(Validation<GroupBy, CompiledGroupBy> v) {
    assertThat(v.ok()).isFalse();
    assertThat(v.problems()).hasSize(1);
    return v.problems().getFirst();
  }

  @Test
  void aValidDefinitionCompilesToItsFeatures() {
    Validation<GroupBy, CompiledGroupBy> v = validateYaml(yaml("fraud"));
    assertThat(v.ok()).isTrue();
    assertThat(v.problems()).isEmpty();
    assertThat(v.compiled().features()).extracting(f -> f.name())
        .containsExactly("amount_avg_1h", "amount_avg_24h", "merchant_last_k");
    assertThat(v.compiled().tileSize()).isEqualTo(5 * 60_000L);
  }

  @Test
  void unknownInputColumnIsReportedAtItsLine() {
    LocatedProblem p = only(validateYaml(yaml("fraud").replace("inputColumn: amount, operation: AVG", "inputColumn: amt, operation: AVG")));
    assertThat(p.path()).isEqualTo("$.aggregations[0].inputColumn");
    assertThat(p.line()).isEqualTo(15);
    assertThat(p.message()).startsWith("unknown column 'amt'");
  }

  @Test
  void anOperationThatCannotTakeTheInputTypeIsReported() {
    LocatedProblem p = only(validateYaml(yaml("fraud").replace("inputColumn: amount, operation: AVG", "inputColumn: merchant, operation: AVG")));
    assertThat(p.path()).isEqualTo("$.aggregations[0].operation");
    assertThat(p.line()).isEqualTo(15);
    assertThat(p.message()).contains("'merchant' is STRING");
  }

  @Test
  void aBadWindowIsReportedAtTheWindow() {
    LocatedProblem p = only(validateYaml(yaml("fraud", "risk", "1h, 90x")));
    assertThat(p.path()).isEqualTo("$.aggregations[0].windows[1]");
    assertThat(p.line()).isEqualTo(15);
    assertThat(p.message()).contains("bad window '90x'");
  }

  @Test
  void aCelErrorKeepsItsPositionInTheExpression() {
    LocatedProblem p = only(validateYaml(yaml("fraud").replace("currency == \"USD\"", "currency == 1 +")));
    assertThat(p.path()).isEqualTo("$.sources[0].events.query.wheres[0]");
    assertThat(p.line()).isEqualTo(12);
    assertThat(p.message()).containsPattern("1:\\d+");
  }

  @Test
  void aWhereThatIsNotBooleanIsATypeError() {
    LocatedProblem p = only(validateYaml(yaml("fraud").replace("currency == \"USD\"", "amount + 1.0")));
    assertThat(p.path()).isEqualTo("$.sources[0].events.query.wheres[0]");
    assertThat(p.line()).isEqualTo(12);
  }

  @Test
  void anOnlineGroupByNeedsATopic() {
    LocatedProblem p = only(validateYaml(yaml("fraud").replace("      topic: purchases\n", "")));
    assertThat(p.path()).isEqualTo("$.sources[0].events.topic");
    // the field is missing: the problem is placed at the source that lacks it
    assertThat(p.line()).isEqualTo(7);
    assertThat(p.message()).contains("online GroupBy needs a Kafka topic");
  }

  @Test
  void duplicateOutputNamesAreReported() {
    String text = yaml("fraud") + "  - {inputColumn: amount, operation: AVG, windows: [1h]}\n";
    LocatedProblem p = only(validateYaml(text));
    assertThat(p.path()).isEqualTo("$.aggregations[2]");
    assertThat(p.line()).isEqualTo(17);
    assertThat(p.message()).contains("'amount_avg_1h' is also produced by $.aggregations[0]");
  }

  @Test
  void aKeyMustBeASelectedColumn() {
    LocatedProblem p = only(validateYaml(yaml("fraud").replace("keys: [user_id]", "keys: [account_id]")));
    assertThat(p.path()).isEqualTo("$.keys[0]");
    assertThat(p.line()).isEqualTo(5);
    assertThat(p.message()).contains("key 'account_id' is not a selected column");
  }

  @Test
  void anUnknownFieldGetsASuggestion() {
    Validation<GroupBy, CompiledGroupBy> v = validateYaml(yaml("fraud").replace("aggregations:", "aggregatons:"));
    assertThat(v.problems()).extracting(LocatedProblem::path).contains("$.aggregatons", "$.aggregations");
    LocatedProblem unknown = v.problems().stream().filter(p -> p.path().equals("$.aggregatons")).findFirst().orElseThrow();
    assertThat(unknown.line()).isEqualTo(14);
    assertThat(unknown.message()).contains("did you mean 'aggregations'?");
    LocatedProblem missing = v.problems().stream().filter(p -> p.path().equals("$.aggregations")).findFirst().orElseThrow();
    assertThat(missing.line()).as("a missing field has no line of its own").isNull();
  }

  @Test
  void malformedYamlIsOneProblemAtTheRoot() {
    LocatedProblem p = only(validateYaml("name: x\nkeys: [user_id\nsources: 3\n"));
    assertThat(p.path()).isEqualTo("$");
    assertThat(p.line()).isNull();
    assertThat(p.message()).startsWith("malformed YAML");
  }

  @Test
  void malformedJsonSaysWhere() {
    LocatedProblem p = only(DefinitionValidator.validate(DefinitionDocument.of("{\"name\": \"x\",\n \"keys\": [}", DocumentFormat.JSON)));
    assertThat(p.path()).isEqualTo("$");
    assertThat(p.message()).startsWith("malformed JSON").contains("line 2");
  }

  @Test
  void anEmptyDocumentIsAProblem() {
    LocatedProblem p = only(validateYaml("  "));
    assertThat(p.path()).isEqualTo("$");
    assertThat(p.message()).isEqualTo("the definition is empty");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String text = yaml("Bad-Name", "risk", "1h, 7x")
        .replace("inputColumn: merchant, operation: LAST_K", "inputColumn: nothing, operation: LAST_K")
        .replace("currency == \"USD\"", "currency ==");
    Validation<GroupBy, CompiledGroupBy> v = validateYaml(text);
    assertThat(v.problems()).extracting(LocatedProblem::path).containsExactlyInAnyOrder(
        "$.name", "$.aggregations[0].windows[1]", "$.sources[0].events.query.wheres[0]", "$.aggregations[1].inputColumn");
    assertThat(v.problems()).extracting(LocatedProblem::line).containsExactlyInAnyOrder(1, 15, 12, 16);
  }

  @Test
  void jsonDocumentsGetLinesToo() {
    String text = json("fraud", "risk", "1h, 24h").replace("\"inputColumn\": \"amount\"", "\"inputColumn\": \"amt\"");
    LocatedProblem p = only(DefinitionValidator.validate(DefinitionDocument.of(text, DocumentFormat.JSON)));
    assertThat(p.path()).isEqualTo("$.aggregations[0].inputColumn");
    assertThat(p.line()).isEqualTo(12);
  }

  @Test
  void aTeamLongerThanTheRegistryStoresIsAProblem() {
    LocatedProblem p = only(validateYaml(yaml("fraud", "t".repeat(129), "1h")));
    assertThat(p.path()).isEqualTo("$.team");
    assertThat(p.line()).isEqualTo(2);
    assertThat(p.message()).isEqualTo("is 129 characters long; at most 128 are allowed");
  }

  @Test
  void theSummaryNamesTheFirstProblem() {
    Validation<GroupBy, CompiledGroupBy> v = validateYaml(yaml("fraud", "risk", "1h, 90x"));
    assertThat(new InvalidDefinitionException(v).getMessage())
        .isEqualTo("fraud has 1 problem: " + v.problems().getFirst());
    assertThat(List.copyOf(v.problems())).hasSize(1);
  }
}
