package dev.tessera.batch.warehouse;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;
import org.duckdb.DuckDBFunctions;

/**
 * PostgreSQL's {@code hashtext} in Java, registered as the DuckDB function {@code pg_hashtext(VARCHAR)}: with the
 * PostgreSQL warehouse a Parquet source is read by an in-process DuckDB ({@link LakeEngine}) while a partition's output
 * slice is cleared, and its table sources read, in PostgreSQL ({@link PostgresDialect#partitionOf}), so both must put a
 * key in the same partition. DuckDB has no such hash and PostgreSQL none of DuckDB's, and a hash both have (md5) costs
 * PostgreSQL about ten times {@code hashtext} per row, for every job; so DuckDB computes PostgreSQL's, on the same text form.
 *
 * <p>{@code hashtext} of a text under a deterministic collation is {@code hash_bytes} (PostgreSQL
 * src/common/hashfn.c, Bob Jenkins' lookup3) of its UTF-8 bytes, read little-endian (the value on x86 and ARM
 * servers), as a signed 32-bit integer. {@code PostgresHashTextIT} checks it against PostgreSQL.
 */
final class PostgresHashText {
  static final String FUNCTION = "pg_hashtext";

  private PostgresHashText() {}

  /** Registers {@code pg_hashtext} in the database of {@code connection} (its duplicates see it too). */
  static void register(Connection connection) throws SQLException {
    DuckDBFunctions.scalarFunction().withName(FUNCTION).withParameter(String.class).withReturnType(Integer.class)
        .withNullInNullOut().withFunction((String text) -> hash(text)).register(connection);
  }

  /** {@link PostgresDialect#partitionOf}, written for the DuckDB that has {@code pg_hashtext}. */
  static String partitionOf(List<String> quotedKeyColumns, int partitions) {
    String text = quotedKeyColumns.size() == 1 ? "coalesce(CAST(" + quotedKeyColumns.getFirst() + " AS VARCHAR), '')"
        : "concat_ws(chr(31), " + quotedKeyColumns.stream().map(c -> "CAST(" + c + " AS VARCHAR)").collect(Collectors.joining(", ")) + ")";
    return "((" + FUNCTION + "(" + text + ") % " + partitions + " + " + partitions + ") % " + partitions + ")";
  }

  static int hash(String text) {
    byte[] k = text.getBytes(StandardCharsets.UTF_8);
    int len = k.length;
    int a = 0x9e3779b9 + len + 3923095;
    int b = a;
    int c = a;
    int o = 0;
    for (; len >= 12; o += 12, len -= 12) {
      a += word(k, o);
      b += word(k, o + 4);
      c += word(k, o + 8);
      // mix(a, b, c)
      a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
      b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
      c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
      a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
      b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
      c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
    }
    // the last 11 bytes; the lowest byte of c is left for the length (added at the start)
    if (len >= 9) c += tail(k, o + 8, len - 8) << 8;
    if (len >= 5) b += tail(k, o + 4, Math.min(len - 4, 4));
    if (len >= 1) a += tail(k, o, Math.min(len, 4));
    // final(a, b, c)
    c ^= b; c -= Integer.rotateLeft(b, 14);
    a ^= c; a -= Integer.rotateLeft(c, 11);
    b ^= a; b -= Integer.rotateLeft(a, 25);
    c ^= b; c -= Integer.rotateLeft(b, 16);
    a ^= c; a -= Integer.rotateLeft(c, 4);
    b ^= a; b -= Integer.rotateLeft(a, 14);
    c ^= b; c -= Integer.rotateLeft(b, 24);
    return c;
  }

  private static int word(byte[] k, int o) {
    return (k[o] & 0xff) | (k[o + 1] & 0xff) << 8 | (k[o + 2] & 0xff) << 16 | (k[o + 3] & 0xff) << 24;
  }

  /** {@code n} (1 to 4) bytes from {@code o}, little-endian. */
  private static int tail(byte[] k, int o, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) v |= (k[o + i] & 0xff) << (8 * i);
    return v;
  }
}
