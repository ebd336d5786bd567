package dev.tessera.batch.ingest;

import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import java.util.List;
import java.util.Locale;

/**
 * What the records of an ingested topic are. {@code events}: JSON events of a schema (a GroupBy
 * source's or one given). The two others are Tessera's own logs, with fixed columns, landed for the
 * consistency job: {@code feature-log}, the fetcher's served values (topic {@code tessera.feature-log}),
 * and {@code dead-letter}, the stream service's dead letters ({@code tessera.deadletter.<groupBy>}).
 *
 * <p>The feature log holds two kinds of records (field {@code kind}): a served GroupBy result
 * ({@code "groupby"}, or no kind: the records written before Joins existed), landed in the table as
 * always, and a served Join row ({@code "join"}), landed beside it in {@code <table>_joins}
 * ({@link #joinColumns()}): its own columns (the Join's name, status), so that the GroupBy table and
 * every reader of it stay as they were.
 */
public enum IngestFormat {
  EVENTS("events", null, null, List.of()),
  FEATURE_LOG("feature-log", "tessera_feature_log", "as_of", List.of(
      new OutColumn("group_by", ColumnKind.TEXT), new OutColumn("version", ColumnKind.INTEGER),
      new OutColumn("as_of", ColumnKind.BIGINT), new OutColumn("keys", ColumnKind.JSON),
      new OutColumn("features", ColumnKind.JSON), new OutColumn("meta", ColumnKind.JSON),
      new OutColumn("logged_at", ColumnKind.BIGINT), new OutColumn("request_id", ColumnKind.TEXT))),
  DEAD_LETTER("dead-letter", "tessera_deadletter", "event_time", List.of(
      new OutColumn("kind", ColumnKind.TEXT), new OutColumn("reason", ColumnKind.TEXT),
      new OutColumn("group_by", ColumnKind.TEXT), new OutColumn("version", ColumnKind.INTEGER),
      new OutColumn("source_topic", ColumnKind.TEXT), new OutColumn("source_partition", ColumnKind.INTEGER),
      new OutColumn("source_offset", ColumnKind.BIGINT), new OutColumn("entity_key", ColumnKind.TEXT),
      new OutColumn("event", ColumnKind.TEXT), new OutColumn("event_time", ColumnKind.BIGINT),
      new OutColumn("stream_time", ColumnKind.BIGINT)));

  /** Where the Join rows of a feature log land: the log's table with this suffix. */
  public static final String JOIN_TABLE_SUFFIX = "_joins";
  private static final List<OutColumn> JOIN_COLUMNS = List.of(
      new OutColumn("join_name", ColumnKind.TEXT), new OutColumn("version", ColumnKind.INTEGER),
      new OutColumn("as_of", ColumnKind.BIGINT), new OutColumn("status", ColumnKind.TEXT),
      new OutColumn("keys", ColumnKind.JSON), new OutColumn("features", ColumnKind.JSON), new OutColumn("meta", ColumnKind.JSON),
      new OutColumn("logged_at", ColumnKind.BIGINT), new OutColumn("request_id", ColumnKind.TEXT));

  private final String spec;
  private final String defaultTable;
  private final String timeColumn;
  private final List<OutColumn> columns;

  IngestFormat(String spec, String defaultTable, String timeColumn, List<OutColumn> columns) {
    this.spec = spec;
    this.defaultTable = defaultTable;
    this.timeColumn = timeColumn;
    this.columns = columns;
  }

  public String spec() {
    return spec;
  }

  /** The table a log lands in when the request names none (several topics may share it: offsets are per table and topic). */
  public String defaultTable() {
    return defaultTable;
  }

  /** The fixed time column of a log format; null for events (the schema's). */
  public String timeColumn() {
    return timeColumn;
  }

  /** The fixed columns of a log format (before {@code _topic, _partition, _offset}); empty for events. */
  public List<OutColumn> columns() {
    return columns;
  }

  /**
   * The fixed columns of the Join rows of a feature log (before {@code _topic, _partition, _offset}),
   * landed in {@code <table>_joins}; empty for the other formats, which have one kind of record.
   */
  public List<OutColumn> joinColumns() {
    return this == FEATURE_LOG ? JOIN_COLUMNS : List.of();
  }

  /** @return the format, or null when {@code text} names none */
  public static IngestFormat parse(String text) {
    if (text == null || text.isBlank()) return EVENTS;
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (IngestFormat f : values()) if (f.spec.equals(t)) return f;
    return null;
  }
}
