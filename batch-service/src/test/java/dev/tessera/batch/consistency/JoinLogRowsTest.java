package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A Join part's logged meta to the times of its fetch ({@link Attribution.Fetch}): what is there, else null. */
class JoinLogRowsTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  static Long time(String meta, String field) {
    return JoinLogRows.metaTime(meta == null ? null : JSON.readTree(meta), field);
  }

  @Test
  void aPartsTileEndAndBatchEndAreReadFromItsMeta() {
    String meta = """
        {"groupBy": "fraud_features", "version": 3, "batchEnd": 1732492800000, "latestTileEnd": 1732535700000, "stale": false}""";
    assertThat(time(meta, "latestTileEnd")).isEqualTo(1732535700000L);
    assertThat(time(meta, "batchEnd")).isEqualTo(1732492800000L);
  }

  @Test
  void absentNullOrOddTimesAreUnknown() {
    String failed = """
        {"groupBy": "merchant_features", "version": 1, "batchEnd": null, "latestTileEnd": null, "stale": null, "error": "x"}""";
    assertThat(time(failed, "latestTileEnd")).isNull();
    assertThat(time(failed, "batchEnd")).isNull();
    assertThat(time("{\"version\": 1}", "batchEnd")).as("an older fetcher's meta").isNull();
    assertThat(time("{\"batchEnd\": \"1732492800000\"}", "batchEnd")).isNull();
    assertThat(time("{\"batchEnd\": 1.5}", "batchEnd")).isNull();
    assertThat(time(null, "batchEnd")).as("a row without meta for the part").isNull();
  }
}
