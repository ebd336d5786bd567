package dev.tessera.batch.warehouse;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The key-hash partition rule of the PostgreSQL warehouse, written so that DuckDB computes it alike: with PostgreSQL,
 * a Parquet source is read by an in-process DuckDB ({@link LakeEngine}) while the partition's output slice is cleared
 * in PostgreSQL ({@link OutputTables#deleteSlice}) and other sources are read there, so both engines must put a key in
 * the same partition. {@code md5} of the key's text form is a hash both have with the same result (PostgreSQL's
 * {@code hashtext} has no DuckDB twin); its first 32 bits, read as an unsigned number, modulo N.
 *
 * <p>The text form: one key's text ('' for null: a null key's rows must belong to a partition too), several keys'
 * texts joined by the unit separator, which keeps {@code ("a:b")} and {@code ("a", "b")} apart.
 */
final class PortableHash {
  private PortableHash() {}

  static String postgres(List<String> quotedKeyColumns, int partitions) {
    return "(('x' || substr(md5(" + text(quotedKeyColumns, "TEXT") + "), 1, 8))::bit(32)::bigint % " + partitions + ")";
  }

  static String duckDb(List<String> quotedKeyColumns, int partitions) {
    return "CAST(CAST('0x' || substr(md5(" + text(quotedKeyColumns, "VARCHAR") + "), 1, 8) AS UBIGINT) % " + partitions + " AS INTEGER)";
  }

  private static String text(List<String> columns, String textType) {
    if (columns.size() == 1) return "coalesce(CAST(" + columns.getFirst() + " AS " + textType + "), '')";
    return "concat_ws(chr(31), " + columns.stream().map(c -> "CAST(" + c + " AS " + textType + ")").collect(Collectors.joining(", ")) + ")";
  }
}
