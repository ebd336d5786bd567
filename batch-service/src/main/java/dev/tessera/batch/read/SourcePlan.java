package dev.tessera.batch.read;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.Source;
import dev.tessera.agg.row.RowSchema;
import dev.tessera.batch.warehouse.ParquetDataset;
import dev.tessera.batch.warehouse.Relation;
import dev.tessera.batch.warehouse.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to read one source of a GroupBy from the warehouse: its table or Parquet dataset, the raw columns of its schema,
 * the columns that hold the GroupBy's keys and the time column.
 *
 * <p>The batch jobs let the warehouse sort events by key so that one entity's events arrive
 * together, which keeps memory bounded by the largest entity instead of the table. That needs each
 * key to be a column of the table as it is ({@code user_id: user_id}, or no selects at all); a key
 * computed by a CEL expression cannot be sorted by in SQL and is refused with an explanation.
 * A time column that is an expression works, but the time range is then checked after reading.
 *
 * @param keyInputColumns the raw column of each key, in key order
 * @param timeColumn the raw time column, or null when the time is an expression
 */
public record SourcePlan(int index, Relation table, RowSchema input, List<String> keyInputColumns, String timeColumn) {

  public SourcePlan {
    keyInputColumns = List.copyOf(keyInputColumns);
  }

  /**
   * @throws UnsupportedSourceException explaining which source and key cannot be read in batch
   */
  public static List<SourcePlan> of(CompiledGroupBy g) {
    List<SourcePlan> plans = new ArrayList<>();
    List<Source> sources = g.definition().sources();
    for (int i = 0; i < sources.size(); i++) {
      if (!(sources.get(i) instanceof EventSource es)) {
        throw new UnsupportedSourceException("source " + i + " of " + g.name() + " is not an event source");
      }
      Relation table;
      try {
        table = es.parquet() != null ? new ParquetDataset(es.parquet()) : TableName.parse(es.table());
      } catch (IllegalArgumentException e) {
        throw new UnsupportedSourceException("source " + i + " of " + g.name() + ": " + e.getMessage());
      }
      RowSchema input = g.sources().get(i).inputSchema();
      Map<String, String> selects = es.query().selects();
      List<String> keyColumns = new ArrayList<>();
      for (String key : g.keyNames()) {
        String expression = selects.isEmpty() ? key : selects.get(key);
        String column = expression == null ? null : expression.trim();
        if (column == null || !input.has(column)) {
          throw new UnsupportedSourceException("key '" + key + "' of source " + i + " (" + table + ") of " + g.name()
              + " is computed ('" + expression + "'): batch jobs sort events by key in the warehouse, so each key must select"
              + " a column as it is (e.g. " + key + ": " + key + ")");
        }
        keyColumns.add(column);
      }
      String time = es.query().timeColumn() == null ? null : es.query().timeColumn().trim();
      plans.add(new SourcePlan(i, table, input, keyColumns, input.has(time) ? time : null));
    }
    return plans;
  }

  public int[] keyInputIndexes() {
    return keyInputColumns.stream().mapToInt(input::indexOf).toArray();
  }

  /** True when the warehouse can apply the time range (the time is a plain column). */
  public boolean timeInSql() {
    return timeColumn != null;
  }
}
