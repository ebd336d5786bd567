package dev.tessera.batch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.DataType;
import dev.tessera.batch.warehouse.TableName;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordParserTest {
  static final RecordParser PARSER;

  static {
    Map<String, DataType> schema = new LinkedHashMap<>();
    schema.put("user_id", DataType.Primitive.STRING);
    schema.put("amount", DataType.Primitive.DOUBLE);
    schema.put("tags", DataType.parse("LIST<STRING>"));
    schema.put("ts", DataType.Primitive.LONG);
    IngestPlan plan = new IngestPlan("t", TableName.parse("x"), schema, "ts", false);
    PARSER = new RecordParser(plan.source(), List.copyOf(schema.values()));
  }

  static RecordParser.Parsed parse(String json) {
    return PARSER.parse(json == null ? null : json.getBytes(StandardCharsets.UTF_8), 0);
  }

  @Test
  void validEventsBecomeRowsInSchemaOrderWithListsAsJson() {
    RecordParser.Parsed p = parse("{\"ts\": 5, \"amount\": 3, \"user_id\": \"u\", \"tags\": [\"a\"], \"other\": 1}");
    assertThat(p.error()).isNull();
    assertThat(p.values()).containsExactly("u", 3.0, "[\"a\"]", 5L);
    assertThat(parse("{\"user_id\": null, \"ts\": 5}").values()).as("a null key still lands: the batch side counts it")
        .containsExactly(null, null, null, 5L);
  }

  @Test
  void malformedRecordsGetAReason() {
    assertThat(parse(null).error()).contains("tombstone");
    assertThat(parse("{oops").error()).startsWith("bad JSON");
    assertThat(parse("42").error()).startsWith("not a JSON object");
    assertThat(parse("{\"user_id\": \"u\", \"amount\": \"x\", \"ts\": 1}").error()).isEqualTo("column 'amount': expected DOUBLE, got a string (\"x\")");
    assertThat(parse("{\"user_id\": \"u\", \"ts\": 1.5}").error()).startsWith("column 'ts': expected LONG");
    assertThat(parse("{\"user_id\": \"u\"}").error()).contains("no event time");
  }
}
