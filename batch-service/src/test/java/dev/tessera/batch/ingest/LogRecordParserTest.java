package dev.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Tessera's logs to their fixed columns; records that cannot be checked go to the errors table with a reason. */
class LogRecordParserTest {
  final LogRecordParser featureLog = new LogRecordParser(IngestFormat.FEATURE_LOG);
  final LogRecordParser deadLetter = new LogRecordParser(IngestFormat.DEAD_LETTER);

  RecordParser.Parsed parse(LogRecordParser p, String json) {
    return p.parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8), 0);
  }

  @Test
  void aFetcherRecordLandsWithItsJsonColumns() {
    var p = parse(featureLog, """
        {"groupBy": "fraud", "version": 3, "keys": {"user_id": "123"}, "asOf": 1732536000000,
         "features": {"amount_sum_1h": 45.5, "n": 2}, "meta": {"version": 3, "batchEnd": 1, "latestTileEnd": null, "asOf": 1732536000000, "stale": false},
         "loggedAt": 1732536000012, "requestId": "5d0c"}""");
    assertThat(p.error()).isNull();
    assertThat(p.values()).hasSize(IngestFormat.FEATURE_LOG.columns().size());
    assertThat(p.values()[0]).isEqualTo("fraud");
    assertThat(p.values()[1]).isEqualTo(3);
    assertThat(p.values()[2]).isEqualTo(1732536000000L);
    assertThat(p.values()[3]).isEqualTo("{\"user_id\":\"123\"}");
    assertThat(p.values()[4]).isEqualTo("{\"amount_sum_1h\":45.5,\"n\":2}");
    assertThat((String) p.values()[5]).contains("\"stale\":false");
    assertThat(p.values()[6]).isEqualTo(1732536000012L);
    assertThat(p.values()[7]).isEqualTo("5d0c");
  }

  @Test
  void aServedJoinRowLandsInTheJoinColumnsAndAGroupByRecordOfAnyKindInTheGroupByOnes() {
    var p = parse(featureLog, """
        {"kind": "join", "join": "fraud_model", "version": 2, "keys": {"buyer": "123", "shop": "m9"}, "asOf": 1764091512345,
         "status": "PartialFailure", "features": {"amount_now": 12.5, "buyer_amount_avg_24h": 45.5, "merchant_features_amount_count_1h": null},
         "meta": {"joinVersion": 2, "asOf": 1764091512345, "parts": {
           "buyer": {"groupBy": "fraud_features", "version": 3, "batchEnd": 1764028800000, "latestTileEnd": 1764091500000, "stale": false},
           "merchant_features": {"groupBy": "merchant_features", "version": 1, "batchEnd": null, "latestTileEnd": null, "stale": null,
                                 "error": "stored data of this key cannot be read"}}},
         "loggedAt": 1764091512351, "requestId": "5d0c"}""");
    assertThat(p.error()).isNull();
    assertThat(p.join()).isTrue();
    assertThat(p.values()).hasSize(IngestFormat.FEATURE_LOG.joinColumns().size());
    assertThat(IngestFormat.FEATURE_LOG.joinColumns().stream().map(c -> c.name()))
        .containsExactly("join_name", "version", "as_of", "status", "keys", "features", "meta", "logged_at", "request_id");
    assertThat(p.values()[0]).isEqualTo("fraud_model");
    assertThat(p.values()[1]).isEqualTo(2);
    assertThat(p.values()[2]).isEqualTo(1764091512345L);
    assertThat(p.values()[3]).isEqualTo("PartialFailure");
    assertThat(p.values()[4]).isEqualTo("{\"buyer\":\"123\",\"shop\":\"m9\"}");
    assertThat((String) p.values()[5]).contains("\"merchant_features_amount_count_1h\":null");
    assertThat((String) p.values()[6]).contains("\"error\":\"stored data of this key cannot be read\"");
    assertThat(p.values()[7]).isEqualTo(1764091512351L);
    assertThat(p.values()[8]).isEqualTo("5d0c");

    var groupBy = parse(featureLog, "{\"kind\": \"groupby\", \"groupBy\": \"g\", \"version\": 1, \"keys\": {}, \"asOf\": 1, \"features\": {}}");
    assertThat(groupBy.error()).isNull();
    assertThat(groupBy.join()).isFalse();
    assertThat(groupBy.values()).hasSize(IngestFormat.FEATURE_LOG.columns().size());
    assertThat(parse(featureLog, "{\"groupBy\": \"g\", \"keys\": {}, \"asOf\": 1, \"features\": {}}").join()).as("no kind: a GroupBy's").isFalse();
  }

  @Test
  void malformedJoinRowsHaveAReason() {
    String row = "{\"kind\": \"join\", \"join\": \"j\", \"version\": 1, \"status\": \"Success\", \"keys\": {}, \"asOf\": 1, \"features\": {}}";
    assertThat(parse(featureLog, row).error()).isNull();
    assertThat(parse(featureLog, row.replace("\"join\": \"j\", ", "")).error()).contains("'join'");
    assertThat(parse(featureLog, row.replace("\"status\": \"Success\", ", "")).error()).contains("'status'");
    assertThat(parse(featureLog, row.replace("\"keys\": {}", "\"keys\": 1")).error()).contains("'keys'");
    assertThat(parse(featureLog, row.replace("\"kind\": \"join\"", "\"kind\": \"model\"")).error()).contains("'model'");
    assertThat(parse(featureLog, row.replace("\"kind\": \"join\"", "\"kind\": 3")).error()).contains("'kind'");
  }

  @Test
  void aMissingVersionLandsAsNullForTheJobToReport() {
    var p = parse(featureLog, "{\"groupBy\": \"g\", \"keys\": {}, \"asOf\": 1, \"features\": {}}");
    assertThat(p.error()).isNull();
    assertThat(p.values()[1]).isNull();
    assertThat(p.values()[5]).isNull();
  }

  @Test
  void malformedFeatureLogRecordsHaveAReason() {
    assertThat(parse(featureLog, null).error()).contains("tombstone");
    assertThat(parse(featureLog, "nope").error()).startsWith("not JSON");
    assertThat(parse(featureLog, "[1]").error()).isEqualTo("not a JSON object");
    assertThat(parse(featureLog, "{\"keys\": {}, \"asOf\": 1, \"features\": {}}").error()).contains("groupBy");
    assertThat(parse(featureLog, "{\"groupBy\": \"g\", \"keys\": {}, \"asOf\": \"x\", \"features\": {}}").error()).contains("asOf");
    assertThat(parse(featureLog, "{\"groupBy\": \"g\", \"keys\": [], \"asOf\": 1, \"features\": {}}").error()).contains("keys");
    assertThat(parse(featureLog, "{\"groupBy\": \"g\", \"keys\": {}, \"asOf\": 1}").error()).contains("features");
  }

  @Test
  void deadLettersKeepTheEventAndItsTimes() {
    var p = parse(deadLetter, """
        {"kind": "late", "reason": "late: ...", "groupBy": "fraud", "version": 3, "sourceTopic": "purchases", "partition": 0,
         "offset": 42, "key": "u1", "event": "{\\"user_id\\": \\"u1\\"}", "eventTime": 1772445660000, "streamTime": 1772449200000}""");
    assertThat(p.error()).isNull();
    assertThat(p.values()).containsExactly("late", "late: ...", "fraud", 3, "purchases", 0, 42L, "u1", "{\"user_id\": \"u1\"}",
        1772445660000L, 1772449200000L);
    assertThat(parse(deadLetter, "{\"reason\": \"x\"}").error()).contains("kind");
    var malformed = parse(deadLetter, "{\"kind\": \"malformed\", \"event\": \"{oops\"}");
    assertThat(malformed.error()).isNull();
    assertThat(malformed.values()[9]).isNull();
  }
}
