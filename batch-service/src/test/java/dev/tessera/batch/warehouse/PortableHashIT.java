package dev.tessera.batch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * With the PostgreSQL warehouse, DuckDB (reading Parquet) and PostgreSQL (clearing a partition's output, reading
 * tables) must put every key in the same partition: keys beyond ASCII, empty and null keys, numbers, several keys.
 */
@EnabledIf(value = "dev.tessera.batch.testing.Postgres#reachable", disabledReason = "PostgreSQL is not reachable at 127.0.0.1:5432")
class PortableHashIT {
  private static final List<String> TEXT_KEYS = List.of("'u1'", "'user_7'", "'Émile'", "'Zoë'", "'\uD83D\uDE00user'", "'a b'", "''",
      "'it''s'", "NULL");

  @Test
  void duckDbReadingParquetPartitionsKeysAsPostgresDoes() throws SQLException {
    PostgresDialect pg = new PostgresDialect();
    DuckDbDialect duck = DuckDbDialect.partitioningLikePostgres();
    List<String> relations = new ArrayList<>();
    for (String k : TEXT_KEYS) relations.add("(SELECT CAST(" + k + " AS %s) AS k, CAST(42 AS BIGINT) AS n)");
    for (long n : List.of(0L, -1L, 7L, Long.MAX_VALUE)) relations.add("(SELECT CAST('x' AS %s) AS k, CAST(" + n + " AS BIGINT) AS n)");
    try (Connection p = DriverManager.getConnection(Postgres.URL, Postgres.USER, ""); Connection d = DriverManager.getConnection("jdbc:duckdb:")) {
      int distinct = 0;
      for (String relation : relations) {
        for (int partitions : List.of(3, 16)) {
          for (List<String> keys : List.of(List.of("\"k\""), List.of("\"k\"", "\"n\""), List.of("\"n\""))) {
            long inPg = one(p, "SELECT " + pg.partitionOf(keys, partitions) + " FROM " + relation.formatted("TEXT") + " t");
            long inDuck = one(d, "SELECT " + duck.partitionOf(keys, partitions) + " FROM " + relation.formatted("VARCHAR") + " t");
            assertThat(inDuck).as("%s of %s in %d", keys, relation, partitions).isEqualTo(inPg).isBetween(0L, partitions - 1L);
            if (inPg != 0) distinct++;
          }
        }
      }
      assertThat(distinct).as("not every key in partition 0").isPositive();
    }
  }

  private static long one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
