package dev.tessera.agg.codec;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.row.RowAggregator;
import dev.tessera.agg.row.RowIr;
import dev.tessera.agg.tile.BatchIr;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The binary forms of tile IRs and batch IRs: the contract between the batch and stream writers
 * and the fetcher, versioned like a DataSketches sketch. The first byte is the format; a reader
 * refuses formats it does not know and bytes written under another column layout (a 32-bit layout
 * fingerprint follows the format byte), rather than misreading them.
 *
 * <pre>
 * tile   (0x01): format, layout:int32, rowIr
 * rollup (0x03): format, layout:int32, newestTileStart:int64, rowIr   (an hour of tiles, DESIGN.md "Storage layout")
 * batch  (0x02): format, layout:int32, end:int64, groups:varint,
 *                per group: window:int64, hasCollapsed:byte, [rowIr], hops:varint, per hop: start:int64, rowIr
 * rowIr:         columns:varint, presence bitmap, the IR of each present column (its aggregator's encoding)
 * </pre>
 *
 * Golden files in the tests pin these bytes.
 */
public final class IrCodec {
  public static final int TILE_V1 = 0x01;
  public static final int BATCH_V1 = 0x02;
  public static final int ROLLUP_V1 = 0x03;

  private final RowAggregator agg;
  private final List<WindowGroup> groups;
  private final int layout;
  private final boolean[][] masks;

  public IrCodec(CompiledGroupBy groupBy) {
    this.agg = groupBy.aggregator();
    this.groups = groupBy.windowGroups();
    int h = agg.layoutFingerprint();
    for (WindowGroup g : groups) {
      h = 31 * h + Long.hashCode(g.millis());
      for (int c : g.columns()) h = 31 * h + c;
    }
    this.layout = h;
    this.masks = groups.stream().map(g -> agg.mask(g.columns())).toArray(boolean[][]::new);
  }

  public int layoutFingerprint() {
    return layout;
  }

  public byte[] encodeTile(RowIr ir) {
    ByteSink out = new ByteSink(128);
    out.writeByte(TILE_V1).writeInt(layout);
    agg.write(ir, out);
    return out.toByteArray();
  }

  /**
   * An hour rollup: the merge of an hour's tiles, with the start of the newest tile in it (so that a
   * fetch reading the rollup still knows which tile the stream wrote last: {@code meta.latestTileEnd}).
   */
  public byte[] encodeRollup(RowIr ir, long newestTileStart) {
    ByteSink out = new ByteSink(128);
    out.writeByte(ROLLUP_V1).writeInt(layout).writeLong(newestTileStart);
    agg.write(ir, out);
    return out.toByteArray();
  }

  /** A decoded rollup: the merged IR and the start of the newest tile it holds. */
  public record Rollup(RowIr ir, long newestTileStart) {}

  public Rollup decodeRollup(byte[] bytes) {
    ByteSource in = new ByteSource(bytes);
    expectHeader(in, ROLLUP_V1, "rollup");
    long newest = in.readLong();
    RowIr ir = agg.read(in);
    expectEnd(in);
    return new Rollup(ir, newest);
  }

  /**
   * Folds one encoded rollup into {@code into} for the columns set in {@code wanted}, as
   * {@link #mergeTile} does for a tile.
   *
   * @return the start of the newest tile the rollup holds
   */
  public long mergeRollup(RowIr into, ByteSource in, boolean[] wanted) {
    expectHeader(in, ROLLUP_V1, "rollup");
    long newest = in.readLong();
    agg.mergeEncoded(into, in, wanted);
    expectEnd(in);
    return newest;
  }

  public RowIr decodeTile(byte[] bytes) {
    ByteSource in = new ByteSource(bytes);
    expectHeader(in, TILE_V1, "tile");
    RowIr ir = agg.read(in);
    expectEnd(in);
    return ir;
  }

  public byte[] encodeBatch(BatchIr batch) {
    if (batch.partCount() != groups.size()) {
      throw new IllegalArgumentException("batch IR has " + batch.partCount() + " window groups, GroupBy has " + groups.size());
    }
    ByteSink out = new ByteSink(512);
    out.writeByte(BATCH_V1).writeInt(layout).writeLong(batch.end()).writeVarInt(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      BatchIr.Part part = batch.part(g);
      out.writeLong(groups.get(g).millis());
      if (part.collapsed() == null) {
        out.writeByte(0);
      } else {
        out.writeByte(1);
        agg.write(part.collapsed(), out);
      }
      out.writeVarInt(part.tailHops().size());
      for (Map.Entry<Long, RowIr> hop : part.tailHops().entrySet()) {
        out.writeLong(hop.getKey());
        agg.write(hop.getValue(), out);
      }
    }
    return out.toByteArray();
  }

  public BatchIr decodeBatch(byte[] bytes) {
    ByteSource in = new ByteSource(bytes);
    expectHeader(in, BATCH_V1, "batch IR");
    long end = in.readLong();
    int n = in.readVarInt();
    if (n != groups.size()) {
      throw new IrFormatException("batch IR has " + n + " window groups, this GroupBy has " + groups.size());
    }
    BatchIr.Part[] parts = new BatchIr.Part[n];
    for (int g = 0; g < n; g++) {
      long window = in.readLong();
      if (window != groups.get(g).millis()) {
        throw new IrFormatException("batch IR window group " + g + " is " + window + " ms, expected " + groups.get(g).millis());
      }
      RowIr collapsed = in.readByte() == 1 ? agg.read(in) : null;
      int hops = in.readCount(9);
      TreeMap<Long, RowIr> tail = new TreeMap<>();
      for (int h = 0; h < hops; h++) {
        long start = in.readLong();
        tail.put(start, agg.read(in));
      }
      parts[g] = new BatchIr.Part(collapsed, tail);
    }
    expectEnd(in);
    return new BatchIr(end, parts);
  }

  /** Decides, while a batch IR is read, which of its parts to merge. */
  public interface BatchFilter {
    /** Called once, before any part, with the batch end read from the bytes. */
    void batchEnd(long end);

    boolean collapsed(int group);

    boolean hop(int group, long hopStart);
  }

  /**
   * Folds one encoded tile, all of what {@code in} holds, into {@code into} for the columns set in
   * {@code wanted}, without decoding it into objects where the operations allow.
   */
  public void mergeTile(RowIr into, ByteSource in, boolean[] wanted) {
    expectHeader(in, TILE_V1, "tile");
    agg.mergeEncoded(into, in, wanted);
    expectEnd(in);
  }

  /**
   * Folds the parts of an encoded batch IR that {@code filter} accepts into the accumulator of
   * their window group ({@code byGroup[g]}, columns of that group only).
   *
   * @return the batch end
   */
  public long mergeBatch(byte[] bytes, RowIr[] byGroup, BatchFilter filter) {
    ByteSource in = new ByteSource(bytes);
    expectHeader(in, BATCH_V1, "batch IR");
    long end = in.readLong();
    filter.batchEnd(end);
    int n = in.readVarInt();
    if (n != groups.size()) {
      throw new IrFormatException("batch IR has " + n + " window groups, this GroupBy has " + groups.size());
    }
    for (int g = 0; g < n; g++) {
      long window = in.readLong();
      if (window != groups.get(g).millis()) {
        throw new IrFormatException("batch IR window group " + g + " is " + window + " ms, expected " + groups.get(g).millis());
      }
      if (in.readByte() == 1) {
        if (filter.collapsed(g)) agg.mergeEncoded(byGroup[g], in, masks[g]);
        else agg.skipEncoded(in);
      }
      int hops = in.readCount(9);
      for (int h = 0; h < hops; h++) {
        long start = in.readLong();
        if (filter.hop(g, start)) agg.mergeEncoded(byGroup[g], in, masks[g]);
        else agg.skipEncoded(in);
      }
    }
    expectEnd(in);
    return end;
  }

  /** The batch end B of an encoded batch IR, read from its header only. */
  public long batchEndOf(byte[] bytes) {
    ByteSource in = new ByteSource(bytes);
    expectHeader(in, BATCH_V1, "batch IR");
    return in.readLong();
  }

  /** The format byte of an encoded IR, without decoding it. */
  public static int formatOf(byte[] bytes) {
    if (bytes == null || bytes.length == 0) throw new IrFormatException("empty IR");
    return bytes[0] & 0xFF;
  }

  private void expectHeader(ByteSource in, int format, String what) {
    int f = in.readByte();
    if (f != format) {
      throw new IrFormatException("not a " + what + " this version can read: format byte 0x"
          + Integer.toHexString(f) + ", expected 0x" + Integer.toHexString(format));
    }
    int l = in.readInt();
    if (l != layout) {
      throw new IrFormatException(what + " was written for another column layout (fingerprint "
          + Integer.toHexString(l) + ", expected " + Integer.toHexString(layout) + ")");
    }
  }

  private static void expectEnd(ByteSource in) {
    if (in.hasRemaining()) {
      throw new IrFormatException("corrupt IR: " + in.remaining() + " unread bytes at the end");
    }
  }
}
