package dev.tessera.batch.testing;

import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.springframework.batch.core.step.StepExecution;

/**
 * A crash on demand: armed with a failure point and a condition, it throws once when the job gets
 * there, as if the process had died at that moment. Disarmed, it does nothing.
 */
public final class TestFailures implements FailurePoints {

  public record Trigger(String point, Predicate<StepExecution> when) {}

  private final AtomicReference<Trigger> armed = new AtomicReference<>();
  private final AtomicReference<String> holdAt = new AtomicReference<>();
  private final AtomicReference<CountDownLatch> held = new AtomicReference<>();

  public void arm(String point, Predicate<StepExecution> when) {
    armed.set(new Trigger(point, when));
  }

  public void disarm() {
    armed.set(null);
    CountDownLatch h = held.getAndSet(null);
    if (h != null) h.countDown();
  }

  /** Makes the job wait at {@code point} (once) until the returned latch is counted down: a job that stays running. */
  public CountDownLatch hold(String point) {
    CountDownLatch latch = new CountDownLatch(1);
    holdAt.set(point);
    held.set(latch);
    return latch;
  }

  /** Fires in partition {@code partition} once it has committed {@code chunks} chunks (counting the current one). */
  public static Predicate<StepExecution> partitionAfterChunks(int partition, int chunks) {
    return step -> step.getExecutionContext().getInt(KeyHashPartitioner.PARTITION, -1) == partition
        && step.getCommitCount() + 1 >= chunks;
  }

  @Override
  public void reached(String point, StepExecution step) {
    if (point.equals(holdAt.get()) && holdAt.compareAndSet(point, null)) {
      CountDownLatch latch = held.get();
      try {
        if (latch != null && !latch.await(2, TimeUnit.MINUTES)) throw new SimulatedCrash("held too long at " + point);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Trigger t = armed.get();
    if (t != null && t.point().equals(point) && t.when().test(step) && armed.compareAndSet(t, null)) {
      throw new SimulatedCrash("simulated crash at " + point + " in " + step.getStepName());
    }
  }

  /** The exception the tests' crashes throw. */
  public static final class SimulatedCrash extends RuntimeException {
    public SimulatedCrash(String message) {
      super(message);
    }
  }
}
