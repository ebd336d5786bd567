package dev.tessera.batch.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.testkit.Entities;
import dev.tessera.agg.testkit.EventGenerator;
import dev.tessera.batch.testing.BatchServiceIT;
import dev.tessera.batch.testing.Oracle;
import dev.tessera.batch.testing.Tables;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generated purchase tables and the row-by-row oracle check of a daily snapshot table. */
public abstract class BackfillSupport extends BatchServiceIT {
  public static final long JAN_1 = LocalDate.of(2024, 1, 1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  public static final long DAY = 86_400_000L;
  static final List<String> COLUMNS = List.of("user_id", "merchant", "amount", "qty", "currency", "ts");

  public static String windowedGroupBy(String name, String table) {
    return """
        name: %s
        keys: [user_id]
        sources:
          - events:
              table: %s
              schema: {user_id: STRING, merchant: STRING, amount: DOUBLE, qty: LONG, currency: STRING, ts: LONG}
              query:
                wheres: ['currency == "USD"']
                timeColumn: ts
        aggregations:
          - {inputColumn: amount, operation: SUM, windows: [1h, 1d, 7d]}
          - {inputColumn: amount, operation: COUNT, windows: [1h, 1d]}
          - {inputColumn: amount, operation: AVG, windows: [1d, 7d]}
          - {inputColumn: qty, operation: SUM, windows: [12d]}
          - {inputColumn: merchant, operation: LAST_K, windows: [1d], args: {k: "3"}}
          - {inputColumn: amount, operation: SUM, windows: [7d], buckets: [merchant]}
        """.formatted(name, table);
  }

  public List<Map<String, Object>> generate(String table, long seed, int users, int events, long from, long to) {
    Tables.createPurchases(warehouse, table);
    List<Map<String, Object>> rows = new EventGenerator(seed).purchases(users, events, from, to);
    Tables.insert(warehouse, table, COLUMNS, rows);
    return rows;
  }

  /** Every (key, day) the oracle expects is there with the oracle's values, and nothing else is. */
  public int assertMatchesOracle(CompiledGroupBy g, List<Map<String, Object>> events, String output, LocalDate start, LocalDate end) {
    Oracle oracle = new Oracle(g);
    Map<List<Object>, List<Row>> byKey = Entities.rowsByKey(g, events);
    Map<String, Map<String, Object>> actual = new HashMap<>();
    for (Map<String, Object> row : Tables.query(warehouse, "SELECT * FROM " + output + " ORDER BY user_id, ds")) {
      String id = row.get("user_id") + "@" + row.get("ds");
      Map<String, Object> features = new LinkedHashMap<>();
      for (String f : oracle.featureNames()) features.put(f, Tables.featureValue(row.get(f)));
      assertThat(actual.put(id, features)).as("duplicate row %s", id).isNull();
    }
    List<String> problems = new ArrayList<>();
    int expectedRows = 0;
    for (var e : byKey.entrySet()) {
      for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
        long t = d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        String id = e.getKey().getFirst() + "@" + d;
        Map<String, Object> got = actual.remove(id);
        if (!oracle.hasRowAt(e.getValue(), t)) {
          if (got != null) problems.add(id + ": unexpected row");
          continue;
        }
        expectedRows++;
        if (got == null) {
          problems.add(id + ": missing");
          continue;
        }
        for (String m : oracle.mismatches(oracle.valuesAt(e.getValue(), t), got)) problems.add(id + " " + m);
      }
    }
    actual.keySet().stream().filter(id -> {
      LocalDate d = LocalDate.parse(id.substring(id.indexOf('@') + 1));
      return !d.isBefore(start) && !d.isAfter(end);
    }).forEach(id -> problems.add(id + ": row for an entity without accepted events"));
    assertThat(problems).isEmpty();
    return expectedRows;
  }
}
