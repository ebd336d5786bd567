package dev.tessera.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.LocatedProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class EditorSubmissionTest {

  @Test
  void aYamlDocumentWithoutANameGetsTheFieldsNameOnTop() {
    var r = EditorSubmission.of("fraud", "team: risk\nkeys: [a]\n", DocumentFormat.YAML, null);
    assertThat(r.nameError()).isNull();
    assertThat(r.document().text()).isEqualTo("name: fraud\nteam: risk\nkeys: [a]\n");
  }

  @Test
  void afterADocumentMarker() {
    var r = EditorSubmission.of("fraud", "---\nteam: risk\n", DocumentFormat.YAML, null);
    assertThat(r.document().text()).isEqualTo("---\nname: fraud\nteam: risk\n");
  }

  @Test
  void aJsonDocumentGetsItAsTheFirstProperty() {
    assertThat(EditorSubmission.of("fraud", "{\n  \"team\": \"risk\"\n}", DocumentFormat.JSON, null).document().text())
        .isEqualTo("{\"name\": \"fraud\", \n  \"team\": \"risk\"\n}");
    assertThat(EditorSubmission.of("fraud", "{}", DocumentFormat.JSON, null).document().text()).isEqualTo("{\"name\": \"fraud\"}");
  }

  @Test
  void aNameInTheDocumentMustAgreeWithTheField() {
    assertThat(EditorSubmission.of("", "name: a\n", DocumentFormat.YAML, null).nameError()).isNull();
    assertThat(EditorSubmission.of("b", "name: a\n", DocumentFormat.YAML, null).nameError())
        .isEqualTo("The name field says 'b' but the document says 'a'.");
    assertThat(EditorSubmission.of(null, "name: a\n", DocumentFormat.YAML, "b").nameError())
        .startsWith("This page edits 'b', but the document is named 'a'.");
  }

  @Test
  void noNameAnywhereOrABadNameIsAFieldError() {
    assertThat(EditorSubmission.of("", "team: x\n", DocumentFormat.YAML, null).nameError()).isEqualTo("Give the GroupBy a name.");
    assertThat(EditorSubmission.of("Bad Name", "team: x\n", DocumentFormat.YAML, null).nameError()).contains("is not a valid name");
  }

  @Test
  void anUnreadableDocumentIsLeftToValidation() {
    var r = EditorSubmission.of("x", "keys: [a\n", DocumentFormat.YAML, null);
    assertThat(r.nameError()).isNull();
    assertThat(r.document().text()).isEqualTo("keys: [a\n");
  }

  @Test
  void problemsAreAttachedToTheirLines() {
    var a = AnnotatedDocument.of("name: x\nkeys: [a]\n", List.of(new LocatedProblem("$.keys[0]", "bad key", 2, 8),
        new LocatedProblem("$.sources", "at least one source is required", null, null)));
    assertThat(a.lines()).hasSize(3);
    assertThat(a.lines().get(1).problems()).extracting(LocatedProblem::message).containsExactly("bad key");
    assertThat(a.lines().get(0).hasProblems()).isFalse();
    assertThat(a.unplaced()).extracting(LocatedProblem::path).containsExactly("$.sources");
    assertThat(a.problemLines()).containsExactly(2);
  }
}
