package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProgressLineTest {
  static JsonNode json(String s) {
    return Api.JSON.readTree(s);
  }

  @Test
  void aPartitionedJobShowsABarPartitionsRowsAndTime() {
    JsonNode job = json("""
        {"id": 12, "job": "backfill", "status": "STARTED",
         "progress": {"partitionsDone": 1, "partitionsTotal": 4, "rowsRead": 1254311, "entities": 40211, "rowsRejected": 0}}""");
    assertThat(ProgressLine.render(job, Duration.ofSeconds(75), true))
        .isEqualTo("backfill 12 STARTED  [######------------------] 1/4 partitions  1,254,311 rows read  40,211 entities  1m 15s");
    assertThat(ProgressLine.render(job, Duration.ofSeconds(5), false))
        .isEqualTo("backfill 12 STARTED  1/4 partitions  1,254,311 rows read  40,211 entities  5s");
  }

  @Test
  void aJobWithoutPartitionsShowsRowsOnlyAndRejectedRowsWhenThereAreAny() {
    JsonNode job = json("""
        {"id": 5, "job": "ingest", "status": "STARTED", "progress": {"partitionsDone": 0, "partitionsTotal": 0, "rowsRead": 12000, "rowsRejected": 3}}""");
    assertThat(ProgressLine.render(job, null, true)).isEqualTo("ingest 5 STARTED  12,000 rows read  3 rejected");
  }

  @Test
  void aJobWithNoProgressYetStillRenders() {
    assertThat(ProgressLine.render(json("{\"id\": 1, \"job\": \"upload\", \"status\": \"STARTING\"}"), Duration.ZERO, true))
        .isEqualTo("upload 1 STARTING  0 rows read  0s");
    assertThat(ProgressLine.render(json("{}"), null, true)).isEqualTo("job ? UNKNOWN  0 rows read");
  }

  @Test
  void theBarIsClampedAndFull() {
    assertThat(ProgressLine.bar(0, 4)).isEqualTo("[----]");
    assertThat(ProgressLine.bar(0.5, 4)).isEqualTo("[##--]");
    assertThat(ProgressLine.bar(1, 4)).isEqualTo("[####]");
    assertThat(ProgressLine.bar(7, 4)).isEqualTo("[####]");
    assertThat(ProgressLine.bar(-1, 4)).isEqualTo("[----]");
    assertThat(ProgressLine.bar(Double.NaN, 4)).isEqualTo("[----]");
  }

  @Test
  void redrawingCoversALongerPreviousLine() {
    assertThat(ProgressLine.overwrite("abc", 5)).isEqualTo("\rabc  ");
    assertThat(ProgressLine.overwrite("abcdef", 3)).isEqualTo("\rabcdef");
  }

  @Test
  void numbersForPeople() {
    assertThat(Numbers.count(1254311)).isEqualTo("1,254,311");
    assertThat(Numbers.elapsed(Duration.ofSeconds(62))).isEqualTo("1m 02s");
    assertThat(Numbers.elapsed(Duration.ofSeconds(3725))).isEqualTo("1h 02m 05s");
    assertThat(Numbers.decimal(0.12345)).isEqualTo("0.1235");
    assertThat(Numbers.decimal(2.0)).isEqualTo("2");
    assertThat(Numbers.decimal(0.5)).isEqualTo("0.5");
    assertThat(Numbers.percent(0.0052)).isEqualTo("0.52%");
  }
}
