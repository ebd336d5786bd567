package dev.tessera.registry.groupby;

import com.zaxxer.hikari.HikariDataSource;
import dev.tessera.registry.join.JoinStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The storage contract on PostgreSQL, the production store: the machine's server
 * (127.0.0.1:5432, database {@code test}, user postgres, trust auth), in a schema of its own that
 * is dropped afterwards. Skipped, saying why, when no server answers.
 */
class PostgresRegistryStoreIT extends RegistryStoreContract implements JoinStoreContract {
  static final String URL = System.getProperty("tessera.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
  static final String USER = System.getProperty("tessera.test.postgres.user", "postgres");
  static final String SCHEMA = "registry_it_" + ProcessHandle.current().pid() + "_" + (System.nanoTime() % 100_000);
  static HikariDataSource ds;

  @BeforeAll
  static void database() {
    try (Connection c = DriverManager.getConnection(URL + "?connectTimeout=3", USER, "")) {
      c.isValid(2);
    } catch (SQLException e) {
      Assumptions.abort("PostgreSQL is not reachable at " + URL + " as " + USER + " (" + e.getMessage()
          + "): skipping the PostgreSQL storage tests. Start a server or set -Dtessera.test.postgres.url to run them.");
    }
    ds = new HikariDataSource();
    ds.setJdbcUrl(URL + "?currentSchema=" + SCHEMA);
    ds.setUsername(USER);
    ds.setMaximumPoolSize(8);
    Flyway.configure().dataSource(ds).schemas(SCHEMA).defaultSchema(SCHEMA).locations("classpath:db/migration").load().migrate();
  }

  @AfterAll
  static void drop() throws SQLException {
    if (ds == null) return;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA " + SCHEMA + " CASCADE");
    } finally {
      ds.close();
    }
  }

  @Override
  public DataSource dataSource() {
    return ds;
  }
}
