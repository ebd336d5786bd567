package dev.tessera.local;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** Starting batch-service jobs over REST and following them to their end ({@code GET /api/v1/jobs/{id}}). */
public final class BatchJobs {
  private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED");

  private final Rest rest;
  private final String batchUrl;

  /** @param rest a client with credentials of a registry WRITER or ADMIN: every batch write needs one */
  public BatchJobs(String batchUrl, Rest rest) {
    this.batchUrl = batchUrl;
    this.rest = rest;
  }

  /**
   * Starts a job ({@code kind}: backfill, training-set, upload, ingest) and returns its id. While
   * the service has not read the GroupBy yet (503, or 404 for a name published a moment ago) it
   * asks again, for up to {@code patience}.
   */
  public long submit(String kind, Map<String, ?> body, Duration patience) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (true) {
      Rest.Response r = rest.postJson(batchUrl + "/api/v1/jobs/" + kind, body);
      if (r.ok()) return r.json().path("id").asLong();
      boolean notYet = r.status() == 503 || (r.status() == 404 && r.text().contains("unknown-groupby"));
      if (!notYet || System.nanoTime() > deadline) throw new IOException(kind + " job refused: HTTP " + r.status() + " " + r.text());
      Thread.sleep(1000);
    }
  }

  public JsonNode get(long id) throws IOException, InterruptedException {
    return rest.get(batchUrl + "/api/v1/jobs/" + id).orThrow("GET job " + id);
  }

  /**
   * Waits for a job to end and returns its view; {@code progress} hears the view every few seconds
   * while it runs. A job that does not complete is an exception with its errors.
   */
  public JsonNode await(long id, Duration timeout, Consumer<JsonNode> progress) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextReport = System.nanoTime() + 3_000_000_000L;
    while (true) {
      JsonNode job = get(id);
      String status = job.path("status").asString();
      if (ENDED.contains(status)) {
        if (!status.equals("COMPLETED")) {
          throw new IOException("job " + id + " (" + job.path("job").asString() + ") ended " + status + ": " + job.path("errors")
              + " " + job.path("rejections"));
        }
        return job;
      }
      if (System.nanoTime() > deadline) throw new IOException("job " + id + " did not end within " + timeout.toSeconds() + " s: " + job);
      if (System.nanoTime() > nextReport) {
        progress.accept(job);
        nextReport = System.nanoTime() + 3_000_000_000L;
      }
      Thread.sleep(300);
    }
  }

  /** Asks a running job to stop at its next chunk boundary (a continuous ingest, at shutdown). */
  public void stop(long id) throws IOException, InterruptedException {
    rest.postJson(batchUrl + "/api/v1/jobs/" + id + "/stop", "{}");
  }

  /** "rows read 12,345, entities 678" from a job's progress, for progress lines. */
  public static String describe(JsonNode job) {
    JsonNode p = job.path("progress");
    return String.format("partitions %d/%d, rows read %,d, entities %,d, rows written %,d", p.path("partitionsDone").asInt(),
        p.path("partitionsTotal").asInt(), p.path("rowsRead").asLong(), p.path("entities").asLong(), p.path("rowsWritten").asLong());
  }
}
