package dev.tessera.support.security;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down password and token guessing: after {@code freeFailures} failed logins of one account
 * from one address, every further attempt is refused (429) for a wait that doubles with each
 * failure, up to {@code maxWait}. A success forgets the failures. Keyed by account and address so
 * that a guesser elsewhere does not lock the real user out for long. The table is bounded (the
 * oldest entries go first), so a flood of made-up account names cannot grow the heap.
 */
public final class LoginThrottle {
  private static final int MAX_ENTRIES = 100_000;

  private final int freeFailures;
  private final Duration baseWait;
  private final Duration maxWait;
  private final InstantSource clock;
  private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
      return size() > MAX_ENTRIES;
    }
  };

  private record Failures(int count, Instant blockedUntil) {}

  public LoginThrottle(int freeFailures, Duration baseWait, Duration maxWait, InstantSource clock) {
    if (freeFailures < 1) throw new IllegalArgumentException("free failures must be at least 1, was " + freeFailures);
    if (baseWait.isNegative() || baseWait.isZero() || maxWait.compareTo(baseWait) < 0) {
      throw new IllegalArgumentException("waits must be positive and max >= base, were " + baseWait + " and " + maxWait);
    }
    this.freeFailures = freeFailures;
    this.baseWait = baseWait;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  /** The usual settings: 5 free failures, then 1 s doubling up to 15 minutes. */
  public static LoginThrottle standard() {
    return new LoginThrottle(5, Duration.ofSeconds(1), Duration.ofMinutes(15), InstantSource.system());
  }

  public static String key(String account, String address) {
    return account + "\u0000" + address;
  }

  /** How long this account+address must still wait before its next attempt is even checked. */
  public synchronized Optional<Duration> blockedFor(String key) {
    Failures f = failures.get(key);
    if (f == null || f.blockedUntil() == null) return Optional.empty();
    Duration left = Duration.between(clock.instant(), f.blockedUntil());
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  public synchronized void failed(String key) {
    Failures before = failures.get(key);
    int count = before == null ? 1 : before.count() + 1;
    Instant until = null;
    if (count >= freeFailures) {
      int doublings = Math.min(count - freeFailures, 30);
      Duration wait = baseWait.multipliedBy(1L << doublings);
      until = clock.instant().plus(wait.compareTo(maxWait) > 0 ? maxWait : wait);
    }
    failures.put(key, new Failures(count, until));
  }

  public synchronized void succeeded(String key) {
    failures.remove(key);
  }
}
