package dev.tessera.batch.warehouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * What reads Parquet (a source's {@code read_parquet}, the lake shuffle's scatter and spill): the DuckDB warehouse
 * itself, or, beside a PostgreSQL warehouse, a DuckDB of this process in memory, which holds no table and is used only
 * to read Parquet files and write spill files. Outputs, checkpoints and the partition fence stay in the warehouse.
 * Every process (each remote worker) has its own; the lake directory they share is the only state.
 */
final class LakeEngine implements AutoCloseable {
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final SqlDialect dialect;
  private final ConnectionSource source;
  private final AutoCloseable resource;

  private LakeEngine(SqlDialect dialect, ConnectionSource source, AutoCloseable resource) {
    this.dialect = dialect;
    this.source = source;
    this.resource = resource;
  }

  /** The DuckDB warehouse reads its Parquet itself. */
  static LakeEngine warehouse(SqlDialect dialect, ConnectionSource source) {
    return new LakeEngine(dialect, source, null);
  }

  /**
   * An in-memory DuckDB for a PostgreSQL warehouse, partitioning keys as PostgreSQL does
   * ({@link DuckDbDialect#partitioningLikePostgres}), with the warehouse settings' memory limit, threads and spill
   * directory (DuckDB's own, for sorts larger than the limit).
   */
  static LakeEngine inMemory(String memoryLimit, int threads, Path tempDirectory) {
    try {
      Properties props = new Properties();
      props.setProperty("jdbc_stream_results", "true");
      DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:", props);
      limit(root, memoryLimit, threads, tempDirectory);
      PostgresHashText.register(root);
      return new LakeEngine(DuckDbDialect.partitioningLikePostgres(), root::duplicate, root);
    } catch (SQLException | IOException e) {
      throw new WarehouseException("cannot open the in-memory DuckDB that reads Parquet", e);
    }
  }

  /** A DuckDB instance's memory limit, threads and spill directory (null: DuckDB's default). */
  static void limit(Connection root, String memoryLimit, int threads, Path tempDirectory) throws SQLException, IOException {
    try (Statement s = root.createStatement()) {
      s.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
      s.execute("SET threads = " + (threads > 0 ? threads : Runtime.getRuntime().availableProcessors()));
      if (tempDirectory != null) {
        Files.createDirectories(tempDirectory);
        s.execute("SET temp_directory = '" + tempDirectory.toAbsolutePath().toString().replace("'", "''") + "'");
      }
    }
  }

  SqlDialect dialect() {
    return dialect;
  }

  Connection connect() throws SQLException {
    return source.open();
  }

  @Override
  public void close() throws Exception {
    if (resource != null) resource.close();
  }
}
