package dev.tessera.batch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.batch.testing.Postgres;
import java.sql.Connection;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * With the PostgreSQL warehouse, DuckDB (reading Parquet, with {@code pg_hashtext}) and PostgreSQL (clearing a
 * partition's output, reading tables) must put every key in the same partition: keys beyond ASCII, empty and null
 * keys, numbers, several keys; and {@link PostgresHashText#hash} is PostgreSQL's {@code hashtext} on texts of every
 * length from 0 to 60 bytes (lookup3 reads 12-byte blocks and an 11-byte tail).
 */
@EnabledIf(value = "dev.tessera.batch.testing.Postgres#reachable", disabledReason = "PostgreSQL is not reachable at 127.0.0.1:5432")
class PostgresHashTextIT {
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
      PostgresHashText.register(d);
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

  @Test
  void hashTextIsPostgresHashtext() throws SQLException {
    Random random = new Random(7);
    try (Connection p = DriverManager.getConnection(Postgres.URL, Postgres.USER, ""); PreparedStatement ps = p.prepareStatement("SELECT hashtext(?)")) {
      for (int length = 0; length <= 60; length++) {
        for (int round = 0; round < 5; round++) {
          StringBuilder text = new StringBuilder();
          // ASCII and beyond (2- and 3-byte UTF-8), so byte and char counts differ
          while (text.toString().getBytes(StandardCharsets.UTF_8).length < length) text.append((char) (round % 2 == 0 ? 32 + random.nextInt(95) : 160 + random.nextInt(3000)));
          ps.setString(1, text.toString());
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(PostgresHashText.hash(text.toString())).as("hashtext('%s')", text).isEqualTo(rs.getInt(1));
          }
        }
      }
    }
  }

  private static long one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
