package dev.tessera.agg.join;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Maps positions in a {@link Join} to the JSON paths of the document it was read from: a part,
 * request field or derivation the reader had to drop shifts the indices of the ones after it, and
 * problem paths must still point at what the user wrote.
 */
record JoinPaths(List<Integer> partIndex, List<Integer> requestIndex, List<Integer> derivationIndex) {
  JoinPaths {
    partIndex = List.copyOf(partIndex);
    requestIndex = List.copyOf(requestIndex);
    derivationIndex = List.copyOf(derivationIndex);
  }

  /** Paths of a Join built in code: model index = document index. */
  static JoinPaths identity(Join j) {
    return new JoinPaths(range(j.parts().size()), range(j.request().size()), range(j.derivations().size()));
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  String part(int i) {
    return "$.parts[" + partIndex.get(i) + "]";
  }

  String request(int i) {
    return "$.request[" + requestIndex.get(i) + "]";
  }

  String derivation(int i) {
    return "$.derivations[" + derivationIndex.get(i) + "]";
  }
}
