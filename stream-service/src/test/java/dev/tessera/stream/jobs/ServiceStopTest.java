package dev.tessera.stream.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A wait for Kafka lets go when the service begins to stop, after the grace, and only then. */
class ServiceStopTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private final ServiceStop stop = new ServiceStop();

  @Test
  void workThatEndsIsAnsweredWhetherOrNotTheStopHasBegun() throws Exception {
    assertThat(stop.await(CompletableFuture.completedFuture("recorded"), LONG)).isEqualTo("recorded");
    stop.begin();
    CompletableFuture<String> quick = CompletableFuture.supplyAsync(() -> "recorded",
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
    assertThat(stop.await(quick, LONG)).as("a wait within the grace is still answered").isEqualTo("recorded");
  }

  @Test
  void aStopThatBeginsDuringTheWaitEndsItAfterTheGraceNotTheTimeout() {
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(stop::begin);
    assertTimeoutPreemptively(LONG.dividedBy(4), () ->
        assertThatThrownBy(() -> stop.await(never, LONG)).isInstanceOf(JobProblem.ServiceStopping.class)
            .hasMessageContaining("may not have been carried out"));
  }

  @Test
  void aWaitThatStartsAfterTheStopBeganGetsTheGraceOnly() {
    stop.begin();
    assertTimeoutPreemptively(LONG.dividedBy(4), () ->
        assertThatThrownBy(() -> stop.await(new CompletableFuture<>(), LONG)).isInstanceOf(JobProblem.ServiceStopping.class));
  }

  @Test
  void failuresAndTimeoutsKeepTheirMeaning() {
    CompletableFuture<String> failed = CompletableFuture.failedFuture(new IllegalStateException("broker said no"));
    assertThatThrownBy(() -> stop.await(failed, LONG)).isInstanceOf(ExecutionException.class).hasRootCauseMessage("broker said no");
    assertThatThrownBy(() -> stop.await(new CompletableFuture<>(), Duration.ofMillis(50))).isInstanceOf(TimeoutException.class);
    assertThat(stop.begun()).as("no stop was asked for").isFalse();
  }
}
