package dev.tessera.agg.row;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;
import dev.tessera.agg.codec.IrFormatException;
import dev.tessera.agg.op.Aggregator;
import dev.tessera.agg.op.Reversible;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Applies every aggregation column of a GroupBy to rows and row IRs. Methods that take a column
 * subset ({@code int[] columns}) touch only those columns: a window's IR only needs the
 * aggregations that have that window.
 */
public final class RowAggregator {
  private final AggColumn[] columns;
  private final int[] all;
  private final int fingerprint;

  public RowAggregator(List<AggColumn> columns) {
    this.columns = columns.toArray(AggColumn[]::new);
    this.all = java.util.stream.IntStream.range(0, this.columns.length).toArray();
    CRC32 crc = new CRC32();
    for (AggColumn c : this.columns) {
      crc.update(c.layoutSignature().getBytes(StandardCharsets.UTF_8));
      crc.update(';');
    }
    this.fingerprint = (int) crc.getValue();
  }

  public int columnCount() {
    return columns.length;
  }

  public AggColumn column(int i) {
    return columns[i];
  }

  public int[] allColumns() {
    return all;
  }

  /** CRC of the column layout: IR bytes written under another layout are refused, not misread. */
  public int layoutFingerprint() {
    return fingerprint;
  }

  public RowIr newIr() {
    return new RowIr(columns.length);
  }

  public void update(RowIr ir, Row row) {
    update(ir, row, all);
  }

  public void update(RowIr ir, Row row, int[] cols) {
    for (int c : cols) {
      AggColumn col = columns[c];
      Object input = col.input(row);
      if (input == null) continue;
      Aggregator<Object, Object, Object> a = col.aggregator();
      Object slot = ir.irs[c];
      if (slot == null) {
        slot = a.newIr();
        ir.irs[c] = slot;
      }
      a.update(slot, input, row.ts());
    }
  }

  /** True when every column of {@code cols} can take an input back out ({@link Reversible}). */
  public boolean isReversible(int[] cols) {
    for (int c : cols) {
      if (!(columns[c].aggregator() instanceof Reversible)) return false;
    }
    return true;
  }

  /**
   * Takes {@code row} back out of {@code ir}: the inverse of {@link #update}. Only for columns
   * where {@link #isReversible} holds, and only for a row that was added.
   */
  @SuppressWarnings("unchecked")
  public void retract(RowIr ir, Row row, int[] cols) {
    for (int c : cols) {
      AggColumn col = columns[c];
      Object input = col.input(row);
      if (input == null) continue;
      ((Reversible<Object, Object, Object>) col.aggregator()).retract(ir.irs[c], input, row.ts());
    }
  }

  public void merge(RowIr into, RowIr other) {
    merge(into, other, all);
  }

  public void merge(RowIr into, RowIr other, int[] cols) {
    for (int c : cols) {
      Object o = other.irs[c];
      if (o == null) continue;
      Aggregator<Object, Object, Object> a = columns[c].aggregator();
      Object mine = into.irs[c];
      if (mine == null) {
        into.irs[c] = a.copy(o);
      } else {
        a.merge(mine, o);
      }
    }
  }

  public void clear(RowIr ir, int[] cols) {
    for (int c : cols) {
      Object slot = ir.irs[c];
      if (slot != null) columns[c].aggregator().clear(slot);
    }
  }

  public void clear(RowIr ir) {
    clear(ir, all);
  }

  public RowIr copy(RowIr ir) {
    RowIr c = newIr();
    merge(c, ir);
    return c;
  }

  public boolean isEmpty(RowIr ir) {
    for (int c = 0; c < columns.length; c++) {
      Object slot = ir.irs[c];
      if (slot != null && !columns[c].aggregator().isEmpty(slot)) return false;
    }
    return true;
  }

  /** The finished value of column {@code c}: the empty result of DESIGN.md when it saw nothing. */
  public Object finish(RowIr ir, int c) {
    Aggregator<Object, Object, Object> a = columns[c].aggregator();
    Object slot = ir.irs[c];
    return finite(a.finish(slot == null ? a.newIr() : slot));
  }

  /**
   * A result with every NaN or infinity made null (DESIGN.md "Which events count": no response holds
   * a non-finite number). Accepted events carry none, so only an overflowing sum gets here; online,
   * backfill and training set all finish through this method, so they agree on it.
   */
  static Object finite(Object v) {
    return switch (v) {
      case Double d when !Double.isFinite(d) -> null;
      case List<?> l when l.stream().anyMatch(e -> e instanceof Double d && !Double.isFinite(d)) ->
          l.stream().map(e -> e instanceof Double d && !Double.isFinite(d) ? null : e).collect(java.util.stream.Collectors.toList());
      case Map<?, ?> m when m.values().stream().anyMatch(e -> !java.util.Objects.equals(finite(e), e)) -> {
        Map<Object, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, e) -> out.put(k, finite(e)));
        yield out;
      }
      case null, default -> v;
    };
  }

  /** Writes the columns that hold data: count, presence bitmap, then each present IR. */
  public void write(RowIr ir, ByteSink out) {
    int n = columns.length;
    out.writeVarInt(n);
    byte[] bitmap = new byte[(n + 7) / 8];
    for (int c = 0; c < n; c++) {
      Object slot = ir.irs[c];
      if (slot != null && !columns[c].aggregator().isEmpty(slot)) bitmap[c >> 3] |= (byte) (1 << (c & 7));
    }
    for (byte b : bitmap) out.writeByte(b);
    for (int c = 0; c < n; c++) {
      if ((bitmap[c >> 3] & (1 << (c & 7))) != 0) columns[c].aggregator().write(ir.irs[c], out);
    }
  }

  /** A mask over all columns with {@code cols} set, for {@link #mergeEncoded}. */
  public boolean[] mask(int[] cols) {
    boolean[] m = new boolean[columns.length];
    for (int c : cols) m[c] = true;
    return m;
  }

  /**
   * Folds an encoded row IR (what {@link #write} wrote) into {@code into}, only for the columns set
   * in {@code wanted}, skipping the others: merges without decoding into objects where the
   * column's operation allows it.
   */
  public void mergeEncoded(RowIr into, ByteSource in, boolean[] wanted) {
    int n = readHeader(in);
    int bitmapStart = in.position();
    in.skip((n + 7) / 8);
    for (int c = 0; c < n; c++) {
      if ((in.byteAt(bitmapStart + (c >> 3)) & (1 << (c & 7))) == 0) continue;
      Aggregator<Object, Object, Object> a = columns[c].aggregator();
      if (!wanted[c]) {
        a.skipEncoded(in);
        continue;
      }
      Object slot = into.irs[c];
      if (slot == null) {
        slot = a.newIr();
        into.irs[c] = slot;
      }
      a.mergeEncoded(slot, in);
    }
  }

  /** Reads past an encoded row IR. */
  public void skipEncoded(ByteSource in) {
    int n = readHeader(in);
    int bitmapStart = in.position();
    in.skip((n + 7) / 8);
    for (int c = 0; c < n; c++) {
      if ((in.byteAt(bitmapStart + (c >> 3)) & (1 << (c & 7))) != 0) columns[c].aggregator().skipEncoded(in);
    }
  }

  private int readHeader(ByteSource in) {
    int n = in.readVarInt();
    if (n != columns.length) {
      throw new IrFormatException("row IR has " + n + " columns, this GroupBy has " + columns.length);
    }
    return n;
  }

  public RowIr read(ByteSource in) {
    int n = in.readVarInt();
    if (n != columns.length) {
      throw new IrFormatException("row IR has " + n + " columns, this GroupBy has " + columns.length);
    }
    byte[] bitmap = new byte[(n + 7) / 8];
    for (int i = 0; i < bitmap.length; i++) bitmap[i] = (byte) in.readByte();
    RowIr ir = newIr();
    for (int c = 0; c < n; c++) {
      if ((bitmap[c >> 3] & (1 << (c & 7))) != 0) ir.irs[c] = columns[c].aggregator().read(in);
    }
    return ir;
  }
}
