package dev.tessera.registry.join;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.CompiledPart;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which GroupBys each Join version reads (table {@code join_def_part} of V2__joins.sql): written
 * with the version, read to refuse retiring a GroupBy that an active Join uses, and to show the
 * GroupBy version each part had when the Join version was published.
 */
public final class JoinParts {
  /** One part of a stored Join version: {@code pinnedVersion} null = it follows the live version. */
  public record Stored(int index, String groupBy, Integer pinnedVersion, int resolvedVersion) {}

  private final JdbcClient jdbc;

  public JoinParts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(String join, int version, CompiledJoin compiled) {
    for (CompiledPart p : compiled.parts()) {
      jdbc.sql("""
              INSERT INTO join_def_part (name, version, part_index, groupby_name, pinned_version, resolved_version)
              VALUES (?, ?, ?, ?, ?, ?)""")
          .params(join, version, p.index(), p.part().groupBy(), p.part().version(), p.groupByVersion())
          .update();
    }
  }

  /** The parts of one Join version, in part order. */
  public List<Stored> of(String join, int version) {
    return jdbc.sql("""
            SELECT part_index, groupby_name, pinned_version, resolved_version FROM join_def_part
            WHERE name = ? AND version = ? ORDER BY part_index""")
        .params(join, version)
        .query((rs, i) -> new Stored(rs.getInt(1), rs.getString(2), (Integer) rs.getObject(3, Integer.class), rs.getInt(4)))
        .list();
  }

  /** The active Joins whose latest version pins {@code version} of this GroupBy, by name. */
  public List<String> activeJoinsPinning(String groupBy, int version) {
    return jdbc.sql("""
            SELECT DISTINCT j.name FROM join_def j
            JOIN join_def_part p ON p.name = j.name AND p.version = j.latest_version
            WHERE j.status = 'ACTIVE' AND p.groupby_name = ? AND p.pinned_version = ? ORDER BY j.name""")
        .params(groupBy, version).query(String.class).list();
  }

  /** The active Joins whose latest version reads this GroupBy, by name. */
  public List<String> activeJoinsUsing(String groupBy) {
    return jdbc.sql("""
            SELECT DISTINCT j.name FROM join_def j
            JOIN join_def_part p ON p.name = j.name AND p.version = j.latest_version
            WHERE j.status = 'ACTIVE' AND p.groupby_name = ? ORDER BY j.name""")
        .param(groupBy).query(String.class).list();
  }
}
