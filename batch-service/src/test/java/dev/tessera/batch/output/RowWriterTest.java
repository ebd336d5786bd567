package dev.tessera.batch.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two download formats, value kind by value kind, from a real (in-memory DuckDB) result set. */
class RowWriterTest {
  private static final String ROWS = """
      SELECT * FROM (VALUES
        ('u1', 3::BIGINT, 2.5::DOUBLE, true, DATE '2024-01-02', '["a","b"]', 'plain'),
        ('u,2', NULL, 'NaN'::DOUBLE, false, DATE '2024-01-03', NULL, 'say "hi"' || chr(10) || 'twice'),
        ('', -1::BIGINT, NULL, NULL, NULL, '{}', ''))
      AS t(user_id, n, x, flag, ds, last_k, note)""";

  @Test
  void csvHasAHeaderQuotesWhatNeedsItAndKeepsNullApartFromEmpty() throws Exception {
    assertThat(write(OutputFormat.CSV)).isEqualTo("""
        user_id,n,x,flag,ds,last_k,note\r
        u1,3,2.5,true,2024-01-02,"[""a"",""b""]",plain\r
        "u,2",,NaN,false,2024-01-03,,"say ""hi""
        twice"\r
        "",-1,,,,{},""\r
        """);
  }

  @Test
  void jsonLinesKeepNumbersBooleansAndNullsAndGiveDatesAndListsAsText() throws Exception {
    assertThat(write(OutputFormat.JSONL)).isEqualTo("""
        {"user_id":"u1","n":3,"x":2.5,"flag":true,"ds":"2024-01-02","last_k":"[\\"a\\",\\"b\\"]","note":"plain"}
        {"user_id":"u,2","n":null,"x":"NaN","flag":false,"ds":"2024-01-03","last_k":null,"note":"say \\"hi\\"\\ntwice"}
        {"user_id":"","n":-1,"x":null,"flag":null,"ds":null,"last_k":"{}","note":""}
        """);
  }

  @Test
  void onlyTheTablesAJobRecordedAreOffered() {
    assertThat(JobOutputs.tables(Map.of("outputTable", "fraud_training", "rowsWritten", 10))).containsExactly(Map.entry("output", "fraud_training"));
    assertThat(JobOutputs.tables(Map.of("samplesTable", "f_consistency_samples", "reportTable", "f_consistency_daily")))
        .containsExactly(Map.entry("report", "f_consistency_daily"), Map.entry("samples", "f_consistency_samples"));
    assertThat(JobOutputs.tables(Map.of("target", "redis:fraud_features"))).isEmpty();
  }

  private static String write(OutputFormat format) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(ROWS)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      RowWriter.write(rs, format, out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
