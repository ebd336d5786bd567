package dev.tessera.batch.remote;

import dev.tessera.batch.BatchApplication;
import dev.tessera.batch.jobs.FailurePoints;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The batch service as a worker process of the tests, with every chunk held {@code tessera.test.chunk-delay-ms}
 * after its warehouse commit and before its checkpoint: partitions last long enough to be killed mid-way,
 * and a kill in that window leaves a committed chunk the checkpoint does not know, the case a take-over
 * must not write twice. With {@code tessera.test.chunk-delay-at=committing} the chunk is held before its
 * commit instead: a worker frozen there resumes with a chunk to commit, the case the fence must refuse.
 */
public final class SlowWorkerApplication {
  private SlowWorkerApplication() {}

  public static void main(String[] args) {
    long delay = Long.getLong("tessera.test.chunk-delay-ms", 0);
    String at = "committing".equals(System.getProperty("tessera.test.chunk-delay-at")) ? FailurePoints.CHUNK_COMMITTING
        : FailurePoints.CHUNK_COMMITTED;
    FailurePoints slow = (point, step) -> {
      if (delay > 0 && point.equals(at)) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    new SpringApplicationBuilder(BatchApplication.class)
        .initializers(ctx -> ctx.getBeanFactory().registerSingleton("slowChunks", slow))
        .run(args);
  }
}
