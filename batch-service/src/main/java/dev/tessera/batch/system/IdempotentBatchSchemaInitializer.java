package dev.tessera.batch.system;

import java.util.Locale;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSourceScriptDatabaseInitializer;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;

/**
 * Creates the Spring Batch job repository tables once. Spring Batch's own scripts use plain
 * {@code CREATE TABLE}, so with {@code continue-on-error: false} (which we want: a broken schema must
 * stop the start) they fail on the second start against a persistent H2 file or PostgreSQL. This
 * runs them only when the tables are missing, and still fails loudly on any other error.
 */
public class IdempotentBatchSchemaInitializer extends BatchDataSourceScriptDatabaseInitializer {
  private final DataSource dataSource;
  private final String tablePrefix;

  public IdempotentBatchSchemaInitializer(DataSource dataSource, BatchJdbcProperties properties) {
    super(dataSource, properties);
    this.dataSource = dataSource;
    this.tablePrefix = properties.getTablePrefix() == null ? "BATCH_" : properties.getTablePrefix();
  }

  @Override
  public boolean initializeDatabase() {
    if (repositoryExists()) return false;
    return super.initializeDatabase();
  }

  private static String[] variants(String name) {
    if (name == null) return new String[] {null};
    return new String[] {name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT)};
  }

  boolean repositoryExists() {
    int dot = tablePrefix.lastIndexOf('.');
    String table = tablePrefix.substring(dot + 1) + "JOB_INSTANCE";
    try (Connection c = dataSource.getConnection()) {
      // Only the schema the repository lives in counts: another schema of the same database may hold its own.
      String schema = dot > 0 ? tablePrefix.substring(0, dot) : c.getSchema();
      DatabaseMetaData md = c.getMetaData();
      for (String s : variants(schema)) {
        for (String name : variants(table)) {
          try (ResultSet rs = md.getTables(null, s, name, new String[] {"TABLE"})) {
            if (rs.next()) return true;
          }
        }
      }
      return false;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot inspect the job repository database", e);
    }
  }
}
