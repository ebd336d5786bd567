package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The local stack restarts a service that dies, with a doubling backoff and a message, and resets the backoff once it stays up. */
class SupervisorTest {
  final Set<Service> dead = EnumSet.noneOf(Service.class);
  final List<Service> restarts = new ArrayList<>();
  boolean portTaken;
  final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final Supervisor supervisor = new Supervisor(new Supervisor.Children() {
    @Override
    public boolean isAlive(Service s) {
      return !dead.contains(s);
    }

    @Override
    public void restart(Service s) throws IOException {
      if (portTaken) throw new IOException("port 8083 for stream-service is taken");
      restarts.add(s);
      dead.remove(s);
    }

    @Override
    public String tail(Service s) {
      return "java.lang.OutOfMemoryError";
    }
  }, new PrintStream(bytes, true, StandardCharsets.UTF_8), 0);

  String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aDeadServiceIsRestartedAfterItsBackoffWithAMessage() {
    dead.add(Service.STREAM);
    assertThat(supervisor.check(10_000)).isZero();
    assertThat(output()).contains("stream-service stopped unexpectedly; restarting it in 1 s").contains("OutOfMemoryError");
    assertThat(supervisor.check(10_500)).as("still backing off").isZero();
    assertThat(supervisor.check(11_000)).isEqualTo(1);
    assertThat(restarts).containsExactly(Service.STREAM);
    assertThat(output()).contains("stream-service restarted");
  }

  @Test
  void deathsInARowDoubleTheBackoffUpToAMinuteAndAStableServiceStartsOver() {
    long now = 1_000;
    long[] waits = new long[8];
    for (int i = 0; i < waits.length; i++) {
      dead.add(Service.STREAM);
      supervisor.check(now);
      long start = now;
      while (supervisor.check(now) == 0) now += 100;
      waits[i] = now - start;
      now += 100;
    }
    assertThat(waits).containsExactly(1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000);
    now += Supervisor.STABLE_MILLIS;
    dead.add(Service.STREAM);
    supervisor.check(now);
    assertThat(output()).endsWith("restarting it in 1 s (death 1 in a row). The end of its log:\njava.lang.OutOfMemoryError\n");
  }

  @Test
  void aFailedRestartIsTriedAgainLater() {
    dead.add(Service.FETCHER);
    supervisor.check(0);
    portTaken = true;
    assertThat(supervisor.check(1_000)).isZero();
    assertThat(output()).contains("fetcher-service could not be restarted (port 8083 for stream-service is taken); trying again in 2 s");
    portTaken = false;
    assertThat(supervisor.check(2_500)).isZero();
    assertThat(supervisor.check(3_000)).isEqualTo(1);
    assertThat(restarts).containsExactly(Service.FETCHER);
  }

  @Test
  void backoffIsBounded() {
    assertThat(Supervisor.backoff(1)).isEqualTo(1_000);
    assertThat(Supervisor.backoff(100)).isEqualTo(Supervisor.MAX_BACKOFF_MILLIS);
  }
}
