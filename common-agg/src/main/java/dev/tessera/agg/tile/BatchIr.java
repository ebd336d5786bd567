package dev.tessera.agg.tile;

import dev.tessera.agg.row.RowIr;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What the batch side uploads for one entity as of batch end {@code B}: per window group (in the
 * order of {@link dev.tessera.agg.compile.CompiledGroupBy#windowGroups()}), a collapsed IR of the
 * part of the window every {@code t} in {@code [B, B + 1 day)} covers, and the hop-sized tail IRs
 * of the part that slides out during that day (DESIGN.md "Window semantics"). Lifetime groups
 * have only the collapsed IR (everything before {@code B}).
 */
public final class BatchIr {
  private final long end;
  private final Part[] parts;

  /** One window group's share: collapsed IR (may be null: no events) and tail hops by start. */
  public record Part(RowIr collapsed, NavigableMap<Long, RowIr> tailHops) {
    public Part {
      tailHops = Collections.unmodifiableNavigableMap(new TreeMap<>(tailHops));
    }
  }

  public BatchIr(long end, Part[] parts) {
    this.end = end;
    this.parts = parts.clone();
  }

  /** B: the batch IR covers events with {@code ts < B}. */
  public long end() {
    return end;
  }

  public int partCount() {
    return parts.length;
  }

  public Part part(int windowGroup) {
    return parts[windowGroup];
  }
}
