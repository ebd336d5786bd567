package dev.tessera.batch.ingest;

import dev.tessera.agg.accept.Acceptance;
import dev.tessera.agg.accept.Refusal;
import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.expr.CompiledSource;
import dev.tessera.agg.expr.SourceResult;
import dev.tessera.batch.warehouse.ColumnKind;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Kafka record's value to a table row (schema order; lists and maps as JSON text), or the
 * reason it cannot be one. Whether an event counts is the acceptance rule of common-agg, the one the
 * stream applies ({@link Acceptance} and the compiled source: not a JSON object, a value of the wrong
 * type, a non-finite number, no event time, an event time too far ahead of the record's time); the
 * GroupBy's own rules (null keys, wheres, selects) are applied when the table is read, by the same
 * compiled GroupBy the stream runs (DESIGN.md "Which events count").
 */
final class RecordParser implements ValueParser {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A row, or a reason; exactly one is set. {@code join}: the row is a served Join row of a feature
   * log, for the Join table ({@link IngestFormat#joinColumns()}).
   */
  record Parsed(Object[] values, String error, boolean join, Refusal refusal) {
    Parsed(Object[] values, String error) {
      this(values, error, false, null);
    }

    Parsed(Object[] values, String error, boolean join) {
      this(values, error, join, null);
    }

    static Parsed refused(Refusal refusal, String error) {
      return new Parsed(null, error, false, refusal);
    }
  }

  private final CompiledSource source;
  private final ColumnKind[] kinds;

  RecordParser(CompiledSource source, List<DataType> types) {
    this.source = source;
    this.kinds = types.stream().map(ColumnKind::of).toArray(ColumnKind[]::new);
  }

  @Override
  public Parsed parse(byte[] value, long recordTime) {
    Map<String, Object> event;
    try {
      event = Acceptance.parseEvent(value);
    } catch (Acceptance.Refused e) {
      return Parsed.refused(e.refusal(), e.getMessage());
    }
    return switch (source.apply(event)) {
      case SourceResult.Accepted a -> {
        String ahead = Acceptance.aheadOfRecord(a.row().ts(), recordTime);
        if (ahead != null) yield Parsed.refused(Refusal.AHEAD_OF_RECORD_TIME, ahead);
        Object[] values = a.row().values();
        for (int i = 0; i < values.length; i++) {
          if (values[i] != null && kinds[i] == ColumnKind.JSON) values[i] = JSON.writeValueAsString(values[i]);
        }
        yield new Parsed(values, null);
      }
      case SourceResult.Rejected r -> Parsed.refused(r.refusal(), r.reason());
      case SourceResult.Filtered f -> throw new IllegalStateException("an ingest source has no where clause");
    };
  }
}
