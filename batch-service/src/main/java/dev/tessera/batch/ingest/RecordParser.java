package dev.tessera.batch.ingest;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.expr.CompiledSource;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.batch.read.JdbcValues;
import dev.tessera.batch.warehouse.ColumnKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Kafka record's value to a table row (schema order; lists and maps as JSON text), or the
 * reason it cannot be one: not JSON, not an object, a value of the wrong type, no event time.
 */
final class RecordParser implements ValueParser {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A row, or a reason; exactly one is set. {@code join}: the row is a served Join row of a feature
   * log, for the Join table ({@link IngestFormat#joinColumns()}).
   */
  record Parsed(Object[] values, String error, boolean join) {
    Parsed(Object[] values, String error) {
      this(values, error, false);
    }
  }

  private final CompiledSource source;
  private final ColumnKind[] kinds;

  RecordParser(CompiledSource source, List<DataType> types) {
    this.source = source;
    this.kinds = types.stream().map(ColumnKind::of).toArray(ColumnKind[]::new);
  }

  @Override
  public Parsed parse(byte[] value) {
    if (value == null) return new Parsed(null, "the record has no value (a tombstone)");
    JsonNode n;
    try {
      n = JSON.readTree(new String(value, StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      return new Parsed(null, "not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) return new Parsed(null, "not a JSON object");
    @SuppressWarnings("unchecked")
    Map<String, Object> event = (Map<String, Object>) JdbcValues.toJava(n);
    return switch (source.apply(event)) {
      case SourceResult.Accepted a -> {
        Object[] values = a.row().values();
        for (int i = 0; i < values.length; i++) {
          if (values[i] != null && kinds[i] == ColumnKind.JSON) values[i] = JSON.writeValueAsString(values[i]);
        }
        yield new Parsed(values, null);
      }
      case SourceResult.Rejected r -> new Parsed(null, r.reason());
      case SourceResult.Filtered f -> throw new IllegalStateException("an ingest source has no where clause");
    };
  }
}
