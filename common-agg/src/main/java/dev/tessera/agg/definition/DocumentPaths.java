package dev.tessera.agg.definition;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Maps positions in a {@link GroupBy} to JSON paths of the document it was read from. Elements
 * the reader had to drop (an aggregation with an unknown operation, say) shift the indices of the
 * ones after them; this keeps problem paths pointing at what the user wrote.
 */
public record DocumentPaths(List<Integer> sourceIndex, List<Integer> aggregationIndex) {
  public DocumentPaths {
    sourceIndex = List.copyOf(sourceIndex);
    aggregationIndex = List.copyOf(aggregationIndex);
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

  /** {@code parent.name}, or {@code parent['odd name']} when the name is not a plain identifier. */
  public static String child(String parent, String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? parent + "." + name : parent + "['" + name.replace("'", "\\'") + "']";
  }
}
