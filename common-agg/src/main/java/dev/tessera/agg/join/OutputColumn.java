package dev.tessera.agg.join;

import dev.tessera.agg.definition.DataType;

/**
 * One column of a Join's output, with its type and where its value comes from. {@code part} is the
 * index of the part a FEATURE column comes from (-1 otherwise) and {@code feature} the GroupBy's
 * own name of it (null otherwise).
 */
public record OutputColumn(String name, DataType type, Kind kind, int part, String feature) {
  public enum Kind { REQUEST, FEATURE, DERIVED }

  public static OutputColumn request(String name, DataType type) {
    return new OutputColumn(name, type, Kind.REQUEST, -1, null);
  }

  public static OutputColumn derived(String name, DataType type) {
    return new OutputColumn(name, type, Kind.DERIVED, -1, null);
  }

  public static OutputColumn feature(String name, DataType type, int part, String feature) {
    return new OutputColumn(name, type, Kind.FEATURE, part, feature);
  }
}
