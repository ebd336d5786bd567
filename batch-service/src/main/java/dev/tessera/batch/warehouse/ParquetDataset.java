package dev.tessera.batch.warehouse;

import dev.tessera.agg.definition.ParquetPath;

/**
 * A Parquet dataset named in a definition: a folder, file or glob, absolute or relative to the lake
 * directory ({@link Lake}, which decides which files it is). The shape rules are common-agg's
 * {@link ParquetPath}, checked again here because a definition may come from an older registry.
 */
public record ParquetDataset(String path) implements Relation {

  public ParquetDataset {
    String problem = ParquetPath.problem(path);
    if (problem != null) throw new IllegalArgumentException(problem);
  }

  @Override
  public String key() {
    return "parquet:" + path;
  }

  @Override
  public String toString() {
    return "Parquet dataset " + path;
  }
}
