package dev.tessera.batch.ingest;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses Tessera's own logs into the fixed columns of {@link IngestFormat}: the fetcher's feature
 * log ({@code FeatureLogRecord}, and {@code JoinLogRecord} for a served Join row: {@code "kind": "join"})
 * and the stream service's dead letters. Only what the consistency job cannot do without is required
 * (a feature log record needs its GroupBy, or its Join and status, time, keys and features; a dead
 * letter its kind); anything else missing lands as null. Records that lack a required field go to the
 * errors table like malformed events, so nothing is dropped.
 */
final class LogRecordParser implements ValueParser {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final IngestFormat format;

  LogRecordParser(IngestFormat format) {
    if (format == IngestFormat.EVENTS) throw new IllegalArgumentException("events are parsed by RecordParser");
    this.format = format;
  }

  @Override
  public RecordParser.Parsed parse(byte[] value, long recordTime) {
    if (value == null) return error("the record has no value (a tombstone)");
    JsonNode n;
    try {
      n = JSON.readTree(new String(value, StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      return error("not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) return error("not a JSON object");
    return format == IngestFormat.FEATURE_LOG ? featureLog(n) : deadLetter(n);
  }

  private static RecordParser.Parsed featureLog(JsonNode n) {
    JsonNode kind = n.get("kind");
    // No kind: a record of a fetcher from before Joins, always a GroupBy's.
    if (kind != null && !kind.isNull()) {
      if (!kind.isString()) return error("field 'kind' is not a string");
      if (kind.stringValue().equals("join")) return joinRow(n);
      if (!kind.stringValue().equals("groupby")) return error("field 'kind' is '" + kind.stringValue() + "', not 'groupby' or 'join'");
    }
    JsonNode groupBy = n.get("groupBy");
    if (groupBy == null || !groupBy.isString() || groupBy.stringValue().isBlank()) return error("field 'groupBy' is missing or not a string");
    String problem = servedProblem(n);
    if (problem != null) return error(problem);
    JsonNode meta = n.get("meta");
    return new RecordParser.Parsed(new Object[] {groupBy.stringValue(), intOrNull(n.get("version")), n.get("asOf").asLong(),
        JSON.writeValueAsString(n.get("keys")), JSON.writeValueAsString(n.get("features")),
        meta == null || meta.isNull() ? null : JSON.writeValueAsString(meta), longOrNull(n.get("loggedAt")),
        textOrNull(n.get("requestId"))}, null);
  }

  /** A served Join row: the Join's name, version, status and the same served fields, for the Join table. */
  private static RecordParser.Parsed joinRow(JsonNode n) {
    JsonNode join = n.get("join");
    if (join == null || !join.isString() || join.stringValue().isBlank()) return error("field 'join' is missing or not a string");
    JsonNode status = n.get("status");
    if (status == null || !status.isString()) return error("field 'status' is missing or not a string");
    String problem = servedProblem(n);
    if (problem != null) return error(problem);
    JsonNode meta = n.get("meta");
    return new RecordParser.Parsed(new Object[] {join.stringValue(), intOrNull(n.get("version")), n.get("asOf").asLong(),
        status.stringValue(), JSON.writeValueAsString(n.get("keys")), JSON.writeValueAsString(n.get("features")),
        meta == null || meta.isNull() ? null : JSON.writeValueAsString(meta), longOrNull(n.get("loggedAt")),
        textOrNull(n.get("requestId"))}, null, true);
  }

  /** What is wrong with the fields both kinds of served records need (time, keys, features, meta), or null. */
  private static String servedProblem(JsonNode n) {
    JsonNode asOf = n.get("asOf");
    if (asOf == null || !asOf.isIntegralNumber()) return "field 'asOf' is missing or not an integer (epoch millis)";
    JsonNode keys = n.get("keys");
    if (keys == null || !keys.isObject()) return "field 'keys' is missing or not an object";
    JsonNode features = n.get("features");
    if (features == null || !features.isObject()) return "field 'features' is missing or not an object";
    JsonNode meta = n.get("meta");
    if (meta != null && !meta.isNull() && !meta.isObject()) return "field 'meta' is not an object";
    return null;
  }

  private static Integer intOrNull(JsonNode n) {
    return n != null && n.isIntegralNumber() && n.canConvertToInt() ? n.asInt() : null;
  }

  private static RecordParser.Parsed deadLetter(JsonNode n) {
    JsonNode kind = n.get("kind");
    if (kind == null || !kind.isString()) return error("field 'kind' is missing or not a string");
    JsonNode event = n.get("event");
    String eventText = event == null || event.isNull() ? null : event.isString() ? event.stringValue() : JSON.writeValueAsString(event);
    JsonNode version = n.get("version");
    JsonNode partition = n.get("partition");
    return new RecordParser.Parsed(new Object[] {kind.stringValue(), textOrNull(n.get("reason")), textOrNull(n.get("groupBy")),
        intOrNull(version), textOrNull(n.get("sourceTopic")), intOrNull(partition),
        longOrNull(n.get("offset")), keyText(n.get("key")), eventText, longOrNull(n.get("eventTime")), longOrNull(n.get("streamTime"))}, null);
  }

  private static String keyText(JsonNode n) {
    if (n == null || n.isNull()) return null;
    return n.isValueNode() ? n.asString() : JSON.writeValueAsString(n);
  }

  private static Long longOrNull(JsonNode n) {
    return n != null && n.isIntegralNumber() && n.canConvertToLong() ? n.asLong() : null;
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.isString() ? n.stringValue() : n.toString();
  }

  private static RecordParser.Parsed error(String reason) {
    return new RecordParser.Parsed(null, reason);
  }
}
