package dev.tessera.batch.consistency;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.batch.compute.FeatureValues;
import dev.tessera.batch.compute.ReadWindow;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One GroupBy whose logged values a consistency partition recomputes: the GroupBy of a GroupBy job,
 * or one part of a Join version in a Join job. Its logged rows are in {@link #logRows()} (row id, the
 * GroupBy's keys, t, then {@link ConsistencyPlan#VERSION}, {@link ConsistencyPlan#STALE},
 * {@link ConsistencyPlan#FEATURES} and, for a Join part, {@link #JOIN_COLUMNS}); its late dead letters
 * in {@link #lateEvents()}. Each row is recomputed with the definition of its logged version when
 * {@code older} has it (or it is {@code version}), with {@code groupBy} otherwise.
 *
 * @param version the version rows are recomputed with unless {@code older} has theirs
 * @param older the other logged versions whose definitions were obtained, ascending
 * @param minT the earliest logged t, null when there are no rows
 * @param prefix a Join part's output prefix: its values are logged as {@code prefix_feature}; null for a GroupBy
 */
record CheckedGroupBy(CompiledGroupBy groupBy, int version, Map<Integer, CompiledGroupBy> older, TableName logRows,
    TableName lateEvents, Long minT, Long maxT, String prefix) {
  /** A Join part's log rows add: the row's Join keys (JSON, for samples), its logged Join version, and whether that version was unknown. */
  static final String JOIN_KEYS = "__tessera_join_keys";
  static final String JOIN_VERSION = "__tessera_join_version";
  static final String JOIN_MISMATCH = "__tessera_join_mismatch";
  static final List<String> JOIN_COLUMNS = List.of(JOIN_KEYS, JOIN_VERSION, JOIN_MISMATCH);
  /**
   * Last of every log row: when the fetch was logged, and its meta's {@code latestTileEnd} and
   * {@code batchEnd} (null when unknown), for the attribution ({@link Attribution.Fetch}).
   */
  static final String LOGGED_AT = "__tessera_logged_at";
  static final String LATEST_TILE_END = "__tessera_latest_tile_end";
  static final String BATCH_END = "__tessera_batch_end";
  static final List<String> FETCH_COLUMNS = List.of(LOGGED_AT, LATEST_TILE_END, BATCH_END);

  boolean isJoinPart() {
    return prefix != null;
  }

  /** The name a feature is logged and reported under. */
  String column(String feature) {
    return prefix == null ? feature : prefix + "_" + feature;
  }

  /** The columns of the log rows after the time, in the order the partitions read them. */
  List<String> extraColumns() {
    List<String> out = new ArrayList<>(List.of(ConsistencyPlan.VERSION, ConsistencyPlan.STALE, ConsistencyPlan.FEATURES));
    if (isJoinPart()) out.addAll(JOIN_COLUMNS);
    out.addAll(FETCH_COLUMNS);
    return out;
  }

  /** The index of {@link #LOGGED_AT} in a row of {@link #extraColumns()}; the meta's times follow it. */
  int fetchIndex() {
    return extraColumns().size() - FETCH_COLUMNS.size();
  }

  List<OutColumn> logRowColumns() {
    return logRowColumns(groupBy, isJoinPart());
  }

  static List<OutColumn> logRowColumns(CompiledGroupBy g, boolean joinPart) {
    List<OutColumn> out = new ArrayList<>();
    out.add(new OutColumn(ConsistencyPlan.RID, ColumnKind.BIGINT));
    out.addAll(FeatureValues.keyColumns(g));
    out.add(new OutColumn(ConsistencyPlan.TS, ColumnKind.BIGINT));
    out.add(new OutColumn(ConsistencyPlan.VERSION, ColumnKind.INTEGER));
    out.add(new OutColumn(ConsistencyPlan.STALE, ColumnKind.BOOLEAN));
    out.add(new OutColumn(ConsistencyPlan.FEATURES, ColumnKind.TEXT));
    if (joinPart) {
      out.add(new OutColumn(JOIN_KEYS, ColumnKind.TEXT));
      out.add(new OutColumn(JOIN_VERSION, ColumnKind.INTEGER));
      out.add(new OutColumn(JOIN_MISMATCH, ColumnKind.BOOLEAN));
    }
    for (String c : FETCH_COLUMNS) out.add(new OutColumn(c, ColumnKind.BIGINT));
    return out;
  }

  /** The late dead letters' table: the GroupBy's keys and the event time. */
  static List<OutColumn> lateColumns(CompiledGroupBy g) {
    List<OutColumn> out = new ArrayList<>(FeatureValues.keyColumns(g));
    out.add(new OutColumn(ConsistencyPlan.EVENT_TIME, ColumnKind.BIGINT));
    return out;
  }

  List<Boolean> textKeys() {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < groupBy.keyNames().size(); i++) out.add(ColumnKind.of(groupBy.keyType(i)) == ColumnKind.TEXT);
    return out;
  }

  /** The events a definition needs for the logged times: nothing when there are no rows. */
  ReadWindow readWindow(CompiledGroupBy g) {
    return maxT == null ? new ReadWindow(0L, 0L) : ReadWindow.forQueries(g, minT, maxT);
  }
}
