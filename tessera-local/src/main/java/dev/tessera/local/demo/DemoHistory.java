package dev.tessera.local.demo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes the demo's purchase history straight into the DuckDB warehouse file, before the batch
 * service opens it (DuckDB lets one process write a file). The table has the columns of the
 * GroupBy's source plus the ingest job's {@code _topic, _partition, _offset}, so the live purchases
 * the ingest job lands later go into the same table.
 */
public final class DemoHistory {
  public static final String TABLE = "purchases";

  private DemoHistory() {}

  /**
   * Generates the purchases of the days {@code [from, until)} (UTC) and appends them to
   * {@link #TABLE}, creating it if needed; {@code dayDone} hears the rows of each day. Returns the rows.
   */
  public static long write(Path warehouse, PurchaseGenerator generator, LocalDate from, LocalDate until, Consumer<long[]> dayDone)
      throws SQLException, java.io.IOException {
    Files.createDirectories(warehouse.getParent());
    long total = 0;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse.toAbsolutePath())) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (user_id VARCHAR, merchant VARCHAR, amount DOUBLE, currency VARCHAR,"
            + " ts BIGINT, _topic VARCHAR, _partition INTEGER, _offset BIGINT)");
      }
      c.setAutoCommit(false);
      int dayIndex = 0;
      long days = until.toEpochDay() - from.toEpochDay();
      for (LocalDate d = from; d.isBefore(until); d = d.plusDays(1)) {
        long[] rows = {0};
        try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE)) {
          generator.day(d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli(), p -> {
            try {
              a.beginRow();
              a.append(p.userId());
              a.append(p.merchant());
              a.append(p.amount());
              a.append(p.currency());
              a.append(p.ts());
              a.appendNull();
              a.appendNull();
              a.appendNull();
              a.endRow();
              rows[0]++;
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
        }
        c.commit();
        total += rows[0];
        dayDone.accept(new long[] {++dayIndex, days, total});
      }
      try (Statement st = c.createStatement()) {
        st.execute("CHECKPOINT");
      }
    }
    return total;
  }
}
