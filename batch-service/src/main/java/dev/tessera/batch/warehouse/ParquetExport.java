package dev.tessera.batch.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a query's result to a Parquet file with DuckDB's COPY (the path was checked to be inside the export directory). */
public final class ParquetExport {
  private ParquetExport() {}

  public static void export(Warehouse warehouse, String query, String file) {
    if (!warehouse.dialect().supportsParquet()) throw new WarehouseException("Parquet export needs the DuckDB warehouse");
    Path path = Path.of(file);
    try {
      if (path.getParent() != null) Files.createDirectories(path.getParent());
    } catch (IOException e) {
      throw new WarehouseException("cannot create the export directory " + path.getParent(), e);
    }
    warehouse.execute("COPY (" + query + ") TO '" + file.replace("'", "''") + "' (FORMAT PARQUET)");
  }
}
