package dev.tessera.batch.consistency;

import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Small reads of the consistency job: a query, its parameters, a handler per row. */
final class Queries {
  private Queries() {}

  @FunctionalInterface
  interface RowHandler {
    void accept(ResultSet rs) throws SQLException;
  }

  static void each(Warehouse warehouse, String sql, RowHandler handler, Object... params) {
    try (Connection c = warehouse.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) handler.accept(rs);
      }
    } catch (SQLException e) {
      throw new WarehouseException("reading the warehouse failed [" + sql + "]", e);
    }
  }
}
