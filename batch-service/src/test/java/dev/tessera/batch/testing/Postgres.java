package dev.tessera.batch.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The machine's PostgreSQL (127.0.0.1:5432, trust auth, user postgres, database test), when reachable. */
public final class Postgres {
  public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String USER = "postgres";

  private Postgres() {}

  public static boolean reachable() {
    try (Connection c = DriverManager.getConnection(URL + "?connectTimeout=2", USER, "")) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  public static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** A new schema name with {@code prefix}; {@link #useSchema} creates it. */
  public static String newSchema(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Creates {@code schema} and points the warehouse and the job repository of the service under test at it. */
  public static void useSchema(String schema, DynamicPropertyRegistry registry) {
    execute("CREATE SCHEMA IF NOT EXISTS " + schema);
    String url = URL + "?currentSchema=" + schema + "&reWriteBatchedInserts=true";
    registry.add("tessera.batch.warehouse.url", () -> url);
    registry.add("tessera.batch.warehouse.username", () -> USER);
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> USER);
    registry.add("spring.datasource.password", () -> "");
  }

  public static void dropSchema(String schema) {
    execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }
}
