package dev.tessera.batch.consistency;

import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log rows a consistency job's prepare step could not check, counted by reason with a few
 * samples (reported in the job's result, never failing it). Thread-safe: the copy runs in slices.
 */
final class BadRows {
  static final int MAX_SAMPLES = 10;

  private final Map<String, Long> reasons = new LinkedHashMap<>();
  private final List<Map<String, String>> samples = new ArrayList<>();

  synchronized void add(String reason, String row) {
    add(reason, 1, row);
  }

  synchronized void add(String reason, long n, String row) {
    reasons.merge(reason, n, Long::sum);
    if (samples.size() < MAX_SAMPLES) samples.add(Map.of("reason", reason, "row", row.length() > 500 ? row.substring(0, 497) + "..." : row));
  }

  synchronized Map<String, Long> reasons() {
    return Map.copyOf(reasons);
  }

  synchronized List<Map<String, String>> samples() {
    return List.copyOf(samples);
  }

  /** Records of the log the ingest could not parse (its errors table), by Kafka timestamp in the range. */
  void countIngestErrors(Warehouse warehouse, TableName logTable, long fromMillis, long toMillis) {
    TableName errors = logTable.withSuffix("_errors");
    if (!warehouse.exists(errors)) return;
    Queries.each(warehouse, "SELECT count(*) FROM " + warehouse.dialect().table(errors) + " WHERE _timestamp >= ? AND _timestamp < ?", rs -> {
      long n = rs.getLong(1);
      if (n > 0) {
        synchronized (this) {
          reasons.merge("malformed record (in " + errors + ")", n, Long::sum);
        }
      }
    }, fromMillis, toMillis);
  }
}
