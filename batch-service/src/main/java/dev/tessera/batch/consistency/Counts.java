package dev.tessera.batch.consistency;

import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counters of a feature's mismatches, as the stats and report tables hold them: one column per
 * {@link Cause} (the first four in the tables' original order, then the ones added for a live
 * system) and one per {@link FreshnessDelay} bucket. A {@code long[]} of {@link #size()} holds them
 * in {@link #COLUMNS} order.
 */
final class Counts {
  private Counts() {}

  static final List<String> COLUMNS;

  static {
    List<String> out = new ArrayList<>();
    Cause.FIRST_COLUMNS.forEach(c -> out.add(c.column()));
    Cause.ADDED_COLUMNS.forEach(c -> out.add(c.column()));
    for (FreshnessDelay d : FreshnessDelay.values()) out.add(d.column());
    COLUMNS = List.copyOf(out);
  }

  private static final int[] CAUSE_INDEX = new int[Cause.values().length];

  static {
    for (Cause c : Cause.values()) CAUSE_INDEX[c.ordinal()] = COLUMNS.indexOf(c.column());
  }

  static int size() {
    return COLUMNS.size();
  }

  static int of(Cause c) {
    return CAUSE_INDEX[c.ordinal()];
  }

  static int of(FreshnessDelay d) {
    return Cause.FIRST_COLUMNS.size() + Cause.ADDED_COLUMNS.size() + d.ordinal();
  }

  static List<OutColumn> outColumns(List<String> names) {
    return names.stream().map(n -> new OutColumn(n, ColumnKind.BIGINT)).toList();
  }

  /** The columns added to report tables after the first four causes (older tables get them added). */
  static List<String> addedColumns() {
    return COLUMNS.subList(Cause.FIRST_COLUMNS.size(), COLUMNS.size());
  }

  /** {@code sum(c1), sum(c2), ...} over every counter column. */
  static String sums() {
    return String.join(", ", COLUMNS.stream().map(c -> "sum(" + c + ")").toList());
  }

  /** The causes of a counter array, every cause present (0 when none), in {@link Cause} order. */
  static Map<String, Long> causes(long[] counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Cause c : Cause.values()) out.put(c.name(), counts[of(c)]);
    return out;
  }

  /** The freshness delay distribution of a counter array: bucket label to count, every bucket present. */
  static Map<String, Long> delays(long[] counts) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (FreshnessDelay d : FreshnessDelay.values()) out.put(d.label(), counts[of(d)]);
    return out;
  }
}
