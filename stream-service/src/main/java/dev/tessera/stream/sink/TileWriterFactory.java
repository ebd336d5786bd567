package dev.tessera.stream.sink;

/** Opens a {@link TileWriter} for one GroupBy version; called once per stream task. */
@FunctionalInterface
public interface TileWriterFactory {
  TileWriter open(String groupBy, int version);
}
