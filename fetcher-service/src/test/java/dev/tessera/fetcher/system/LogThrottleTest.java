package dev.tessera.fetcher.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
  @Test
  void oneLinePerTopicAndIntervalWithTheCountOfTheRest() {
    AtomicLong now = new AtomicLong(1_000);
    LogThrottle throttle = new LogThrottle(() -> Instant.ofEpochMilli(now.get()), Duration.ofSeconds(10));
    assertThat(throttle.admit("a")).isZero();
    assertThat(throttle.admit("a")).isEqualTo(-1);
    assertThat(throttle.admit("a")).isEqualTo(-1);
    assertThat(throttle.admit("b")).isZero();
    now.addAndGet(9_999);
    assertThat(throttle.admit("a")).isEqualTo(-1);
    now.addAndGet(1);
    assertThat(throttle.admit("a")).isEqualTo(3);
    assertThat(throttle.admit("a")).isEqualTo(-1);
  }

  @Test
  void systemClockWorks() {
    assertThat(new LogThrottle(InstantSource.system(), Duration.ofMinutes(1)).admit("x")).isZero();
  }
}
