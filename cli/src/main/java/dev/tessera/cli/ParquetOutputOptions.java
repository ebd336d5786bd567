package dev.tessera.cli;

import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/** Where a backfill or training set also goes as Parquet, besides its warehouse table (DuckDB warehouse only). */
final class ParquetOutputOptions {
  @Option(names = "--parquet-path", paramLabel = "PATH", description = "also export it to this one Parquet file (relative to the service's export directory)")
  String parquetPath;

  @Option(names = "--parquet-dataset", paramLabel = "FOLDER",
      description = "also write it as a Parquet dataset in this folder (relative to the export directory): one file per day in ds=YYYY-MM-DD/")
  String parquetDataset;

  void addTo(ObjectNode body) {
    if (parquetPath != null && !parquetPath.isBlank()) body.put("parquetPath", parquetPath.trim());
    if (parquetDataset != null && !parquetDataset.isBlank()) body.put("parquetDataset", parquetDataset.trim());
  }
}
