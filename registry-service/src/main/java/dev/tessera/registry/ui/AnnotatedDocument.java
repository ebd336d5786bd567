package dev.tessera.registry.ui;

import dev.tessera.registry.definition.LocatedProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A document split into numbered lines, each with the problems written at it, and the problems
 * that have no line (a missing field): what the editor shows next to the text. Pure.
 */
public record AnnotatedDocument(List<Line> lines, List<LocatedProblem> unplaced, List<Integer> problemLines) {

  public record Line(int number, String text, List<LocatedProblem> problems) {
    public boolean hasProblems() {
      return !problems.isEmpty();
    }
  }

  public static AnnotatedDocument of(String text, List<LocatedProblem> problems) {
    String[] raw = (text == null ? "" : text).split("\n", -1);
    Map<Integer, List<LocatedProblem>> byLine = new LinkedHashMap<>();
    List<LocatedProblem> unplaced = new ArrayList<>();
    for (LocatedProblem p : problems) {
      if (p.line() != null && p.line() >= 1 && p.line() <= raw.length) {
        byLine.computeIfAbsent(p.line(), l -> new ArrayList<>()).add(p);
      } else {
        unplaced.add(p);
      }
    }
    List<Line> lines = new ArrayList<>(raw.length);
    for (int i = 0; i < raw.length; i++) lines.add(new Line(i + 1, raw[i], byLine.getOrDefault(i + 1, List.of())));
    return new AnnotatedDocument(lines, unplaced, List.copyOf(byLine.keySet()));
  }
}
