package dev.tessera.agg.compile;

import dev.tessera.agg.window.Windows;
import java.util.List;

/**
 * All features of a GroupBy that share one window length (lifetime is a group too), with the IR
 * columns they read. Windows written differently but equally long ({@code 24h}, {@code 1d}) share
 * a group: they cover the same events.
 */
/** {@code columns} is shared, not copied: callers must not modify it. */
public record WindowGroup(long millis, int[] columns, List<Feature> features) {
  public WindowGroup {
    features = List.copyOf(features);
  }

  public boolean isLifetime() {
    return millis == Windows.LIFETIME;
  }

  public long hop() {
    return Windows.hop(millis);
  }

}
