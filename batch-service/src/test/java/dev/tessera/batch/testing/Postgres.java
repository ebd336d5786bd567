package dev.tessera.batch.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

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
}
