package dev.tessera.batch.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the rows of a result set as they are read, so a table of any size goes out in constant
 * memory. Values keep their JSON kind where JSON has one (integers, decimals, booleans, null);
 * dates and timestamps are ISO-8601 text, and lists and maps (JSON text in the warehouse, see
 * {@code ColumnKind.JSON}) stay JSON text, as a warehouse client would read them.
 */
final class RowWriter {
  /** JSON lines: the generator puts a line break between rows (root values), the last one gets its own. */
  private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder().rootValueSeparator("\n").build()).build();

  private RowWriter() {}

  /** Writes every row of {@code rows} to {@code out}; returns how many. */
  static long write(ResultSet rows, OutputFormat format, OutputStream out) throws SQLException, IOException {
    return switch (format) {
      case CSV -> csv(rows, out);
      case JSONL -> jsonLines(rows, out);
    };
  }

  private static long csv(ResultSet rows, OutputStream out) throws SQLException, IOException {
    ResultSetMetaData meta = rows.getMetaData();
    int n = meta.getColumnCount();
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    for (int i = 1; i <= n; i++) {
      if (i > 1) w.write(',');
      w.write(csvField(meta.getColumnLabel(i)));
    }
    w.write("\r\n");
    long count = 0;
    while (rows.next()) {
      for (int i = 1; i <= n; i++) {
        if (i > 1) w.write(',');
        Object v = rows.getObject(i);
        // SQL NULL is an empty field; an empty string is "" (quoted), so the two stay apart
        if (v != null) w.write(v instanceof String s && s.isEmpty() ? "\"\"" : csvField(text(v)));
      }
      w.write("\r\n");
      count++;
    }
    w.flush();
    return count;
  }

  /** RFC 4180: quoted when it holds a comma, a quote or a line break, quotes doubled. */
  static String csvField(String s) {
    boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static long jsonLines(ResultSet rows, OutputStream out) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    int n = meta.getColumnCount();
    String[] names = new String[n];
    for (int i = 1; i <= n; i++) names[i - 1] = meta.getColumnLabel(i);
    long count = 0;
    try (JsonGenerator g = JSON.createGenerator(out)) {
      while (rows.next()) {
        g.writeStartObject();
        for (int i = 1; i <= n; i++) {
          g.writeName(names[i - 1]);
          value(g, rows.getObject(i));
        }
        g.writeEndObject();
        count++;
      }
      if (count > 0) g.writeRaw('\n');
    }
    return count;
  }

  private static void value(JsonGenerator g, Object v) {
    switch (v) {
      case null -> g.writeNull();
      case Boolean b -> g.writeBoolean(b);
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber(i);
      case Short s -> g.writeNumber(s);
      case Byte b -> g.writeNumber(b);
      case BigInteger b -> g.writeNumber(b);
      case BigDecimal d -> g.writeNumber(d);
      // NaN and infinities have no JSON number: their names as text, as Python's float() reads them
      case Double d when d.isNaN() || d.isInfinite() -> g.writeString(d.toString());
      case Double d -> g.writeNumber(d);
      case Float f when f.isNaN() || f.isInfinite() -> g.writeString(f.toString());
      case Float f -> g.writeNumber(f);
      default -> g.writeString(text(v));
    }
  }

  /** Text of a value: ISO-8601 for dates and timestamps, the driver's text otherwise. */
  private static String text(Object v) {
    if (v instanceof java.sql.Date d) return d.toLocalDate().toString();
    if (v instanceof Timestamp t) return t.toLocalDateTime().toString();
    return v.toString();
  }
}
