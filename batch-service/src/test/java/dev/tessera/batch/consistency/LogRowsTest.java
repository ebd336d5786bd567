package dev.tessera.batch.consistency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.DataType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Logged keys to the GroupBy's key types: what fits is converted, what does not is a bad row (null). */
class LogRowsTest {
  static final JsonMapper JSON = JsonMapper.builder().build();

  static Object key(String json, DataType type) {
    return LogRows.keyValue(JSON.readTree(json), type);
  }

  @Test
  void keysAreReadInTheirTypes() {
    assertThat(key("\"u1\"", DataType.Primitive.STRING)).isEqualTo("u1");
    assertThat(key("123", DataType.Primitive.STRING)).as("a number typed for a text key").isEqualTo("123");
    assertThat(key("123", DataType.Primitive.LONG)).isEqualTo(123L);
    assertThat(key("\"123\"", DataType.Primitive.INT)).as("the fetcher accepts text for numbers").isEqualTo(123L);
    assertThat(key("1.5", DataType.Primitive.DOUBLE)).isEqualTo(1.5);
    assertThat(key("true", DataType.Primitive.BOOLEAN)).isEqualTo(true);
  }

  @Test
  void keysThatDoNotFitAreRefused() {
    assertThat(key("null", DataType.Primitive.STRING)).isNull();
    assertThat(key("1.5", DataType.Primitive.STRING)).isNull();
    assertThat(key("\"x\"", DataType.Primitive.LONG)).isNull();
    assertThat(key("1.5", DataType.Primitive.LONG)).isNull();
    assertThat(key("\"1.5\"", DataType.Primitive.DOUBLE)).isNull();
    assertThat(key("\"true\"", DataType.Primitive.BOOLEAN)).isNull();
    assertThat(key("{\"a\": 1}", DataType.Primitive.STRING)).isNull();
    assertThat(LogRows.keyValue(null, DataType.Primitive.STRING)).isNull();
  }
}
