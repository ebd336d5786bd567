package dev.tessera.registry.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.registry.definition.LineDiff.Kind;
import dev.tessera.registry.definition.LineDiff.Line;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineDiffTest {

  @Test
  void aChangedLineIsARemovalThenAnAdditionWithLineNumbersOnBothSides() {
    List<Line> d = LineDiff.diff("a\nb\nc\n", "a\nB\nc\n", 3);
    assertThat(d).containsExactly(
        new Line(Kind.SAME, "a", 1, 1, 0),
        new Line(Kind.REMOVED, "b", 2, null, 0),
        new Line(Kind.ADDED, "B", null, 2, 0),
        new Line(Kind.SAME, "c", 3, 3, 0));
    assertThat(LineDiff.hasChanges(d)).isTrue();
  }

  @Test
  void longUnchangedRunsCollapseAroundTheContext() {
    StringBuilder a = new StringBuilder();
    for (int i = 1; i <= 20; i++) a.append("l").append(i).append('\n');
    String b = a.toString().replace("l10\n", "x\n");
    List<Line> d = LineDiff.diff(a.toString(), b, 2);
    assertThat(d).extracting(Line::kind).containsExactly(Kind.SKIP, Kind.SAME, Kind.SAME, Kind.REMOVED, Kind.ADDED,
        Kind.SAME, Kind.SAME, Kind.SKIP);
    assertThat(d.getFirst().skipped()).isEqualTo(7);
    assertThat(d.getLast().skipped()).isEqualTo(8);
    assertThat(d.get(3).text()).isEqualTo("l10");
  }

  @Test
  void identicalTextsHaveNoChanges() {
    List<Line> d = LineDiff.diff("a\nb\n", "a\nb\n", 3);
    assertThat(LineDiff.hasChanges(d)).isFalse();
  }

  @Test
  void additionsAtTheEnd() {
    assertThat(LineDiff.diff("a\n", "a\nb\nc\n", 0)).extracting(Line::kind).containsExactly(Kind.SAME, Kind.ADDED, Kind.ADDED);
  }
}
