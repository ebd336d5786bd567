package dev.tessera.stream.topology;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.WindowGroup;
import dev.tessera.agg.window.Windows;
import java.time.Duration;

/**
 * How long streaming tiles stay in Redis (DESIGN.md "Window semantics": tiles are kept until the
 * next upload replaces the batch IR, and at least 2 days). Times are stream time, so a replay
 * trims exactly as the first run did.
 *
 * <ul>
 *   <li>With an upload marker {@code B}: keep tiles from {@code min(B, now - retention)}; the
 *       fetcher reads tiles from {@code B} on, the 2 days cover a late upload.
 *   <li>Without one: the fetcher has only tiles, so keep the longest finite window (plus its hop)
 *       when that is more than {@code retention}.
 *   <li>Never more than {@code maxRetention}: Redis memory stays bounded even when uploads stop.
 * </ul>
 *
 * Idle entities are not trimmed (nothing touches them): their tile hashes expire after
 * {@link #ttl()}, set on every write.
 */
public record TileRetention(long tileSize, Duration retention, Duration withoutUpload, Duration maxRetention, Duration expireMargin) {

  public TileRetention {
    if (tileSize <= 0) throw new IllegalArgumentException("tileSize must be positive");
    if (retention.isNegative() || retention.isZero()) throw new IllegalArgumentException("retention must be positive");
    if (maxRetention.compareTo(retention) < 0) throw new IllegalArgumentException("maxRetention must be >= retention");
    if (expireMargin.isNegative()) throw new IllegalArgumentException("expireMargin must not be negative");
    withoutUpload = max(retention, withoutUpload);
  }

  public static TileRetention of(CompiledGroupBy g, Duration retention, Duration maxRetention, Duration expireMargin) {
    long longest = 0;
    for (WindowGroup group : g.windowGroups()) {
      if (!group.isLifetime()) longest = Math.max(longest, group.millis() + group.hop());
    }
    return new TileRetention(g.tileSize(), retention, Duration.ofMillis(longest), maxRetention, expireMargin);
  }

  /** Start of the oldest tile to keep at stream time {@code now}; {@code uploadEnd} may be null. */
  public long keepFrom(long now, Long uploadEnd) {
    long from = uploadEnd != null
        ? Math.min(uploadEnd, now - retention.toMillis())
        : now - withoutUpload.toMillis();
    from = Math.max(from, now - maxRetention.toMillis());
    return Windows.floor(from, tileSize);
  }

  /** Expiry of an entity's tile hash, from its last write: the longest it can be needed, plus a margin. */
  public Duration ttl() {
    Duration needed = withoutUpload.compareTo(maxRetention) > 0 ? maxRetention : withoutUpload;
    return needed.plus(expireMargin);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
