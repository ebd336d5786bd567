package dev.tessera.batch.ingest;

import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The ingest offsets, kept in the warehouse: per (table, topic, partition) the next offset to read.
 * They are written in the same transaction as the rows they cover, so after any crash the rows and
 * the offsets agree, and ingest resumes exactly where the committed data ends. Kafka's consumer
 * group offsets are never used.
 */
final class OffsetStore {
  private final Warehouse warehouse;
  private final TableName table;

  OffsetStore(Warehouse warehouse, TableName table) {
    this.warehouse = warehouse;
    this.table = table;
  }

  void create() {
    SqlDialect d = warehouse.dialect();
    warehouse.execute("CREATE TABLE IF NOT EXISTS " + d.table(table) + " (table_name " + d.type(ColumnKind.TEXT)
        + " NOT NULL, topic " + d.type(ColumnKind.TEXT) + " NOT NULL, kafka_partition INTEGER NOT NULL,"
        + " next_offset BIGINT NOT NULL, PRIMARY KEY (table_name, topic, kafka_partition))");
  }

  /** Partition -> next offset of what {@code target} already holds of {@code topic}. */
  Map<Integer, Long> load(String target, String topic) {
    Map<Integer, Long> out = new HashMap<>();
    try (Connection c = warehouse.connect();
        PreparedStatement ps = c.prepareStatement("SELECT kafka_partition, next_offset FROM " + warehouse.dialect().table(table)
            + " WHERE table_name = ? AND topic = ?")) {
      ps.setString(1, target);
      ps.setString(2, topic);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.put(rs.getInt(1), rs.getLong(2));
      }
      return out;
    } catch (SQLException e) {
      throw new WarehouseException("reading the ingest offsets failed", e);
    }
  }

  /** Records {@code next} in the caller's transaction. */
  void save(Connection c, String target, String topic, Map<Integer, Long> next) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + warehouse.dialect().table(table)
        + " (table_name, topic, kafka_partition, next_offset) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (table_name, topic, kafka_partition) DO UPDATE SET next_offset = excluded.next_offset")) {
      for (var e : next.entrySet()) {
        ps.setString(1, target);
        ps.setString(2, topic);
        ps.setInt(3, e.getKey());
        ps.setLong(4, e.getValue());
        ps.executeUpdate();
      }
    }
  }
}
