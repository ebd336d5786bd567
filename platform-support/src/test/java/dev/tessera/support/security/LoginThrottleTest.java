package dev.tessera.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

  private LoginThrottle clocked() {
    return new LoginThrottle(3, Duration.ofSeconds(1), Duration.ofSeconds(10), now::get);
  }

  @Test
  void theWaitStartsAfterTheFreeFailuresAndDoublesUpToTheMaximum() {
    LoginThrottle t = clocked();
    String key = LoginThrottle.key("user:alice", "10.0.0.1");
    t.failed(key);
    t.failed(key);
    assertThat(t.blockedFor(key)).isEmpty();
    t.failed(key);
    assertThat(t.blockedFor(key)).contains(Duration.ofSeconds(1));
    t.failed(key);
    assertThat(t.blockedFor(key)).contains(Duration.ofSeconds(2));
    for (int i = 0; i < 40; i++) t.failed(key);
    assertThat(t.blockedFor(key)).contains(Duration.ofSeconds(10));
    now.set(now.get().plusSeconds(10));
    assertThat(t.blockedFor(key)).isEmpty();
  }

  @Test
  void aSuccessForgetsTheFailuresAndOtherAddressesAreNotBlocked() {
    LoginThrottle t = clocked();
    String key = LoginThrottle.key("user:alice", "10.0.0.1");
    for (int i = 0; i < 5; i++) t.failed(key);
    assertThat(t.blockedFor(LoginThrottle.key("user:alice", "10.0.0.2"))).isEmpty();
    t.succeeded(key);
    assertThat(t.blockedFor(key)).isEmpty();
  }
}
