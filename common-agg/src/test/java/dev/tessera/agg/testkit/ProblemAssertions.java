package dev.tessera.agg.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.Problem;
import java.util.List;

/** Assertions on the problems a compiler reports, shared by the GroupBy and Join validation tests. */
public final class ProblemAssertions {
  private ProblemAssertions() {}

  /**
   * {@code problems} of a document that must not compile (so {@code ok} is false and
   * {@code compiled} null), returned for further checks.
   */
  public static List<Problem> failed(String document, boolean ok, Object compiled, List<Problem> problems) {
    assertThat(ok).as("should not compile:%n%s", document).isFalse();
    assertThat(compiled).isNull();
    return problems;
  }

  /** Exactly one problem, at {@code path}, whose message contains every one of {@code parts}. */
  public static void assertOneProblem(List<Problem> problems, String path, String... parts) {
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo(path);
      assertThat(p.message()).contains(parts);
    });
  }
}
