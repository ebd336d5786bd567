package dev.tessera.agg.definition;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Maps positions in a {@link GroupBy} to JSON paths of the document it was read from. Elements
 * the reader had to drop (an aggregation with an unknown operation, a window it cannot parse, say)
 * shift the indices of the ones after them; this keeps problem paths pointing at what the user
 * wrote. {@code windowIndex} has, per aggregation of the model, the document index of each of its
 * windows; it may be empty (a definition built in code), meaning model index = document index.
 */
public record DocumentPaths(List<Integer> sourceIndex, List<Integer> aggregationIndex, List<List<Integer>> windowIndex) {
  public DocumentPaths {
    sourceIndex = List.copyOf(sourceIndex);
    aggregationIndex = List.copyOf(aggregationIndex);
    windowIndex = windowIndex == null ? List.of() : windowIndex.stream().map(List::copyOf).toList();
  }

  public DocumentPaths(List<Integer> sourceIndex, List<Integer> aggregationIndex) {
    this(sourceIndex, aggregationIndex, List.of());
  }

  /** Paths of a definition built in code: model index = document index. */
  public static DocumentPaths identity(GroupBy g) {
    return new DocumentPaths(IntStream.range(0, g.sources().size()).boxed().toList(),
        IntStream.range(0, g.aggregations().size()).boxed().toList());
  }

  public String source(int i) {
    return "$.sources[" + sourceIndex.get(i) + "]";
  }

  public String aggregation(int i) {
    return "$.aggregations[" + aggregationIndex.get(i) + "]";
  }

  /** Path of window {@code w} of aggregation {@code i} (both model indices). */
  public String window(int i, int w) {
    List<Integer> windows = i < windowIndex.size() ? windowIndex.get(i) : List.of();
    return aggregation(i) + ".windows[" + (w < windows.size() ? windows.get(w) : w) + "]";
  }

  /** {@code parent.name}, or {@code parent['odd name']} when the name is not a plain identifier. */
  public static String child(String parent, String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? parent + "." + name : parent + "['" + name.replace("'", "\\'") + "']";
  }
}
