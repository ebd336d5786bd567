package dev.tessera.batch.compute;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.window.Windows;

/**
 * Which events a computation as of times in {@code [firstT, lastT]} can need: those in
 * {@code [earliest window start as of firstT, lastT)}. A GroupBy with a lifetime aggregation needs
 * every event before {@code lastT} ({@code from} is then null).
 */
public record ReadWindow(Long from, long to) {

  public static ReadWindow forQueries(CompiledGroupBy g, long firstT, long lastT) {
    return new ReadWindow(earliestStart(g, firstT), lastT);
  }

  /** The earliest event any window of {@code g} covers as of {@code t}, or null for lifetime. */
  public static Long earliestStart(CompiledGroupBy g, long t) {
    long min = Long.MAX_VALUE;
    for (WindowGroup w : g.windowGroups()) {
      if (w.isLifetime()) return null;
      min = Math.min(min, Windows.windowStart(t, w.millis()));
    }
    return min == Long.MAX_VALUE ? null : min;
  }

  public ReadWindow extendedBack(long millis) {
    return from == null ? this : new ReadWindow(from - millis, to);
  }
}
