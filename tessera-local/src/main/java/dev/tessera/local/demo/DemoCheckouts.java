package dev.tessera.local.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The left table of the {@code fraud_model} Join: checkouts with a fraud label, taken from the
 * purchases already in the warehouse, so that the training set has something to learn. Every
 * checkout is a purchase (same buyer, shop, amount and time: its features are as of just before it).
 * The label is what a chargeback would say about the demo's "stolen card" bursts: a purchase is
 * fraud when its buyer made {@value #BURST_PURCHASES} or more purchases in the
 * {@value #BURST_MINUTES} minutes before it and it costs more than {@value #LARGE} times the shop's
 * usual price. All frauds are kept and one in {@value #NEGATIVE_SAMPLE} of the other purchases (the
 * usual downsampling of a fraud training set). Deterministic: the same purchases give the same table.
 */
public final class DemoCheckouts {
  public static final String TABLE = "checkouts";
  static final int BURST_PURCHASES = 2;
  static final int BURST_MINUTES = 15;
  static final double LARGE = 2.0;
  static final int NEGATIVE_SAMPLE = 20;

  /** One row of {@link #TABLE}. */
  public record Checkout(String buyer, String shop, double amountNow, String channel, long ts, long label) {}

  private DemoCheckouts() {}

  /**
   * Labels and samples purchases that arrive sorted by user, then time (the order that lets the
   * rule see each buyer's previous purchases).
   */
  static final class Labeler {
    private final List<Checkout> out = new ArrayList<>();
    private final ArrayDeque<Long> recent = new ArrayDeque<>();
    private String user;

    void accept(PurchaseGenerator.Purchase p) {
      if (!p.userId().equals(user)) {
        user = p.userId();
        recent.clear();
      }
      long windowStart = p.ts() - BURST_MINUTES * 60_000L;
      while (!recent.isEmpty() && recent.peekFirst() < windowStart) recent.removeFirst();
      long before = recent.stream().filter(t -> t < p.ts()).count();
      boolean fraud = before >= BURST_PURCHASES && p.amount() > LARGE * PurchaseGenerator.typicalAmount(p.merchant());
      recent.addLast(p.ts());
      long h = hash(p);
      if (fraud || Math.floorMod(h, NEGATIVE_SAMPLE) == 0) {
        out.add(new Checkout(p.userId(), p.merchant(), p.amount(), channel(fraud, h), p.ts(), fraud ? 1 : 0));
      }
    }

    /** The checkouts chosen so far, oldest first. */
    List<Checkout> checkouts() {
      List<Checkout> sorted = new ArrayList<>(out);
      sorted.sort(Comparator.comparingLong(Checkout::ts).thenComparing(Checkout::buyer).thenComparing(Checkout::shop)
          .thenComparingDouble(Checkout::amountNow));
      return sorted;
    }

    /** Stolen cards are mostly used online; other checkouts come through the app, the web or a shop's terminal. */
    private static String channel(boolean fraud, long h) {
      int r = (int) Math.floorMod(h >>> 8, 100L);
      if (fraud) return r < 80 ? "web" : "app";
      return r < 50 ? "app" : r < 85 ? "web" : "pos";
    }

    /** A fixed function of the purchase (String.hashCode is specified), so the sample does not depend on reading order. */
    private static long hash(PurchaseGenerator.Purchase p) {
      long z = p.userId().hashCode() * 0x9E3779B97F4A7C15L + p.ts() * 0xBF58476D1CE4E5B9L + p.merchant().hashCode();
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /**
   * Replaces {@link #TABLE} with the checkouts of the purchases of the days {@code [from, until)} in
   * the warehouse table {@code purchases}; must run before the batch service opens the file.
   * Returns {rows, frauds}.
   */
  public static long[] write(Path warehouse, LocalDate from, LocalDate until) throws SQLException, IOException {
    Files.createDirectories(warehouse.getParent());
    Labeler labeler = new Labeler();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + warehouse.toAbsolutePath())) {
      try (PreparedStatement q = c.prepareStatement("SELECT user_id, merchant, amount, currency, ts FROM " + DemoHistory.TABLE
          + " WHERE ts >= ? AND ts < ? ORDER BY user_id, ts, merchant, amount, currency")) {
        q.setLong(1, from.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
        q.setLong(2, until.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            labeler.accept(new PurchaseGenerator.Purchase(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4), rs.getLong(5)));
          }
        }
      }
      List<Checkout> checkouts = labeler.checkouts();
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE OR REPLACE TABLE " + TABLE
            + " (buyer VARCHAR, shop VARCHAR, amount_now DOUBLE, channel VARCHAR, ts BIGINT, label BIGINT)");
      }
      long frauds = 0;
      try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE)) {
        for (Checkout k : checkouts) {
          a.beginRow();
          a.append(k.buyer());
          a.append(k.shop());
          a.append(k.amountNow());
          a.append(k.channel());
          a.append(k.ts());
          a.append(k.label());
          a.endRow();
          frauds += k.label();
        }
      }
      c.commit();
      try (Statement st = c.createStatement()) {
        st.execute("CHECKPOINT");
      }
      return new long[] {checkouts.size(), frauds};
    }
  }
}
