package dev.tessera.batch.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.duckdb.DuckDBConnection;

/**
 * The warehouse the jobs read events from and write results to (DESIGN.md "Warehouse"): a DuckDB
 * file (embedded, the default) or PostgreSQL. Each caller takes its own connection and closes it.
 *
 * <p>DuckDB allows one process to open a database file for writing. Inside this process every
 * connection is a {@code duplicate()} of one root connection: they share the database instance
 * (one buffer pool, one memory limit, one thread pool) and can read and write concurrently. Reads
 * are streamed ({@code jdbc_stream_results=true}): a result is fetched chunk by chunk, never
 * materialised, which is what keeps a job's memory bounded on tables larger than the heap. A
 * streaming connection cannot write while its result is open, so jobs read and write on separate
 * connections.
 *
 * <p>Parquet datasets are read where Parquet can be read ({@link LakeEngine}): by the DuckDB warehouse itself, or
 * beside a PostgreSQL warehouse by an in-memory DuckDB of this process; {@link #dialect(Relation)} and
 * {@link #connectForStreaming(Relation)} say which for a relation.
 */
public final class Warehouse implements AutoCloseable {

  @FunctionalInterface
  private interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final SqlDialect dialect;
  private final ConnectionSource source;
  private final AutoCloseable resource;
  private final int fetchSize;
  private final String description;
  private final Supplier<LakeEngine> openLakeEngine;
  private volatile Lake lake;
  private LakeEngine lakeEngine;

  private Warehouse(SqlDialect dialect, ConnectionSource source, AutoCloseable resource, int fetchSize, String description,
      Supplier<LakeEngine> openLakeEngine) {
    this.dialect = dialect;
    this.source = source;
    this.resource = resource;
    this.fetchSize = fetchSize;
    this.description = description;
    this.openLakeEngine = openLakeEngine;
  }

  /**
   * Opens a DuckDB database file (created if missing).
   *
   * @param memoryLimit DuckDB memory_limit, e.g. {@code 2GB}
   * @param threads DuckDB threads, 0 for the number of cores
   * @param tempDirectory where DuckDB spills, or null for its default (next to the file)
   */
  public static Warehouse duckDb(Path file, String memoryLimit, int threads, Path tempDirectory, int fetchSize) {
    return duckDb(file, memoryLimit, threads, tempDirectory, fetchSize, "1GB");
  }

  /** @param checkpointThreshold DuckDB checkpoint_threshold, e.g. {@code 1GB} */
  public static Warehouse duckDb(Path file, String memoryLimit, int threads, Path tempDirectory, int fetchSize,
      String checkpointThreshold) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Properties props = new Properties();
      props.setProperty("jdbc_stream_results", "true");
      DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props);
      LakeEngine.limit(root, memoryLimit, threads, tempDirectory);
      try (Statement s = root.createStatement()) {
        s.execute("SET checkpoint_threshold = '" + checkpointThreshold.replace("'", "") + "'");
      }
      DuckDbDialect dialect = new DuckDbDialect();
      return new Warehouse(dialect, root::duplicate, root, fetchSize, "duckdb " + file.toAbsolutePath(),
          () -> LakeEngine.warehouse(dialect, root::duplicate));
    } catch (SQLException | java.io.IOException e) {
      throw new WarehouseException("cannot open the DuckDB warehouse at " + file.toAbsolutePath()
          + " (DuckDB lets one process open a file for writing: is another process using it?)", e);
    }
  }

  public static Warehouse postgres(String url, String username, String password, int maxPoolSize, int fetchSize) {
    return postgres(url, username, password, maxPoolSize, fetchSize, "1GB", 0, null);
  }

  /**
   * @param memoryLimit, threads, tempDirectory the settings of the in-memory DuckDB that reads Parquet sources
   *     ({@link LakeEngine}), opened when a job first reads one
   */
  public static Warehouse postgres(String url, String username, String password, int maxPoolSize, int fetchSize,
      String memoryLimit, int threads, Path tempDirectory) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(username);
    config.setPassword(password);
    config.setMaximumPoolSize(maxPoolSize);
    config.setPoolName("warehouse");
    // Connections are checked out lazily, so the service starts even while the warehouse is down.
    config.setInitializationFailTimeout(-1);
    HikariDataSource ds = new HikariDataSource(config);
    return new Warehouse(new PostgresDialect(), ds::getConnection, ds, fetchSize, "postgresql " + url.replaceAll("password=[^&]*", "password=***"),
        () -> LakeEngine.inMemory(memoryLimit, threads, tempDirectory));
  }

  /** From a JDBC URL: {@code jdbc:duckdb:<file>} or {@code jdbc:postgresql:...}. */
  public static Warehouse open(String url, String username, String password, String memoryLimit, int threads,
      Path tempDirectory, int maxPoolSize, int fetchSize, String checkpointThreshold) {
    if (url.startsWith("jdbc:duckdb:")) {
      String file = url.substring("jdbc:duckdb:".length());
      if (file.isBlank() || file.startsWith(":memory:")) {
        throw new IllegalArgumentException("the DuckDB warehouse needs a file (jdbc:duckdb:/path/warehouse.duckdb), not an in-memory database");
      }
      return duckDb(Path.of(file), memoryLimit, threads, tempDirectory, fetchSize, checkpointThreshold);
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return postgres(url, username, password, maxPoolSize, fetchSize, memoryLimit, threads, tempDirectory);
    }
    throw new IllegalArgumentException("unsupported warehouse URL " + url + " (use jdbc:duckdb: or jdbc:postgresql:)");
  }

  /** Where Parquet datasets are read from ({@link Lake}); set once at start. Without one, Parquet sources are refused. */
  public Warehouse lake(Lake lake) {
    this.lake = lake;
    return this;
  }

  /**
   * The lake Parquet sources are read from.
   *
   * @throws IllegalArgumentException when no lake directory is configured
   */
  public Lake lake() {
    if (lake == null) throw new IllegalArgumentException("no lake directory is configured (tessera.batch.lake-dir)");
    return lake;
  }

  /**
   * What to select a relation's rows from: a quoted table name, or for a Parquet dataset the
   * {@code read_parquet} of the files of the days that overlap {@code [from, to)} (either null for unbounded).
   */
  public String from(Relation relation, dev.tessera.agg.row.RowSchema schema, Long from, Long to) {
    return switch (relation) {
      case TableName t -> dialect.table(t);
      case ParquetDataset d -> lake().scan(d, schema, from, to);
    };
  }

  /**
   * The columns of a table, view or Parquet dataset (its newest file), in order; empty when it does
   * not exist or matches no file.
   */
  public List<WarehouseColumn> columns(Relation relation) {
    return switch (relation) {
      case TableName t -> columns(t);
      case ParquetDataset d -> {
        String sample = lake().sample(d);
        yield sample == null ? List.of() : describe(sample, d);
      }
    };
  }

  private List<WarehouseColumn> describe(String relation, Relation named) {
    try (Connection c = lakeEngine().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      List<WarehouseColumn> out = new ArrayList<>();
      while (rs.next()) out.add(new WarehouseColumn(rs.getString("column_name"), rs.getString("column_type")));
      return out;
    } catch (SQLException e) {
      throw new WarehouseException("cannot read the columns of " + named, e);
    }
  }

  public SqlDialect dialect() {
    return dialect;
  }

  /**
   * The dialect a relation's rows are selected in: the warehouse's for a table; for a Parquet dataset (and spill files)
   * that of what reads Parquet ({@link LakeEngine}), DuckDB either way, and partitioning keys as the warehouse does.
   */
  public SqlDialect dialect(Relation relation) {
    return relation instanceof ParquetDataset ? lakeEngine().dialect() : dialect;
  }

  /** True when a Parquet dataset is read beside the warehouse, so one statement cannot join it with warehouse tables. */
  public boolean readsParquetApart() {
    return !dialect.supportsParquet();
  }

  /** A streaming connection for reading {@code relation}: the warehouse's, or for a Parquet dataset the lake engine's. */
  public Connection connectForStreaming(Relation relation) {
    if (!(relation instanceof ParquetDataset)) return connectForStreaming();
    try {
      return lakeEngine().connect();
    } catch (SQLException e) {
      throw new WarehouseException("cannot connect to the DuckDB that reads Parquet", e);
    }
  }

  /** Runs a statement over Parquet files (a shuffle's scatter: read files, write spill files) where Parquet is read. */
  public void executeOnLake(String sql) {
    try (Connection c = lakeEngine().connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new WarehouseException("statement failed [" + abbreviate(sql) + "]", e);
    }
  }

  /** What reads Parquet, opened at its first use (a PostgreSQL warehouse whose jobs read no Parquet opens no DuckDB). */
  private synchronized LakeEngine lakeEngine() {
    if (lakeEngine == null) lakeEngine = openLakeEngine.get();
    return lakeEngine;
  }

  public int fetchSize() {
    return fetchSize;
  }

  /** Which warehouse and where (file path, URL): for logs and health details, never for answers. */
  public String description() {
    return description;
  }

  /** Which kind of warehouse ({@code duckdb}, {@code postgresql}): what an answer may say about it. */
  public String kind() {
    int space = description.indexOf(' ');
    return space < 0 ? description : description.substring(0, space);
  }

  /** A new connection in auto-commit mode. */
  public Connection connect() {
    try {
      Connection c = source.open();
      c.setAutoCommit(true);
      return c;
    } catch (SQLException e) {
      throw new WarehouseException("cannot connect to the warehouse (" + description + ")", e);
    }
  }

  /** A connection for streaming reads: PostgreSQL only streams inside a transaction with a fetch size. */
  public Connection connectForStreaming() {
    Connection c = connect();
    try {
      if (dialect instanceof PostgresDialect) c.setAutoCommit(false);
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw new WarehouseException("cannot prepare a streaming connection", e);
    }
  }

  /** A connection inside an open transaction. */
  public Connection begin() {
    Connection c = connect();
    try {
      dialect.begin(c);
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw new WarehouseException("cannot start a warehouse transaction", e);
    }
  }

  public void execute(String sql) {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new WarehouseException("statement failed [" + abbreviate(sql) + "]", e);
    }
  }

  /** The columns of a table or view, in order; empty when it does not exist. */
  public List<WarehouseColumn> columns(TableName table) {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(dialect.columnsQuery())) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      List<WarehouseColumn> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new WarehouseColumn(rs.getString(1), rs.getString(2)));
      }
      return out;
    } catch (SQLException e) {
      throw new WarehouseException("cannot read the columns of " + table, e);
    }
  }

  /** True for a DuckDB base table (not a view): its rows have stable {@code rowid}s while it is not modified. */
  public boolean isDuckDbBaseTable(TableName table) {
    if (!(dialect instanceof DuckDbDialect)) return false;
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT table_type FROM information_schema.tables"
        + " WHERE lower(table_schema) = lower(coalesce(?, current_schema())) AND lower(table_name) = lower(?)")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.name());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "BASE TABLE".equalsIgnoreCase(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new WarehouseException("cannot read the type of " + table, e);
    }
  }

  public boolean exists(TableName table) {
    return !columns(table).isEmpty();
  }

  public Optional<WarehouseColumn> column(List<WarehouseColumn> columns, String name) {
    return columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  /** True when a trivial query answers: for the health endpoint. */
  public boolean isReachable() {
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      return rs.next();
    } catch (RuntimeException | SQLException e) {
      return false;
    }
  }

  public static void closeQuietly(AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception ignored) {
      // closing after a failure: the first error is the one worth reporting
    }
  }

  public static void rollbackQuietly(Connection c) {
    if (c == null) return;
    try {
      if (!c.getAutoCommit()) c.rollback();
    } catch (SQLException ignored) {
      // the connection is being discarded after a failure
    }
  }

  static String abbreviate(String sql) {
    String s = sql.replaceAll("\\s+", " ");
    return s.length() > 300 ? s.substring(0, 297) + "..." : s;
  }

  @Override
  public void close() {
    synchronized (this) {
      closeQuietly(lakeEngine);
    }
    closeQuietly(resource);
  }
}
