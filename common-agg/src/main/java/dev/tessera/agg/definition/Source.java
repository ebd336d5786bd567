package dev.tessera.agg.definition;

/** Where a GroupBy's events come from. Written as {@code {events: {...}}} in definitions. */
public sealed interface Source permits EventSource {
  Query query();

  java.util.Map<String, DataType> schema();
}
