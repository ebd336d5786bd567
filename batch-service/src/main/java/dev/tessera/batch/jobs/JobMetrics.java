package dev.tessera.batch.jobs;

import dev.tessera.agg.accept.Refusal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The service's own metrics (Spring Batch adds {@code spring_batch_job_*} and {@code spring_batch_step_*}):
 * {@code tessera_batch_rows_total{job, groupBy, outcome=read|accepted|filtered|rejected|written}},
 * {@code tessera_batch_entities_total{job, groupBy}},
 * {@code tessera_batch_redis_keys_deleted_total{job, groupBy}},
 * {@code tessera_batch_refused_total{job, source, reason}} (events the acceptance rule refused, by the
 * reason the stream's {@code tessera_stream_events_refused_total} uses) and
 * {@code tessera_batch_jobs_total{job, status}}.
 */
public final class JobMetrics {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public JobMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void rows(String job, String groupBy, String outcome, long n) {
    if (n <= 0) return;
    counter("tessera.batch.rows", "rows by what became of them", "job", job, "groupBy", groupBy, "outcome", outcome).increment(n);
  }

  public void entities(String job, String groupBy, long n) {
    if (n <= 0) return;
    counter("tessera.batch.entities", "entities processed", "job", job, "groupBy", groupBy).increment(n);
  }

  public void jobEnded(String job, String status) {
    counter("tessera.batch.jobs", "jobs ended, by final status", "job", job, "status", status).increment();
  }

  /** Redis keys a job removed (purge: a retired version's keys). */
  public void keysDeleted(String job, String groupBy, long n) {
    if (n <= 0) return;
    counter("tessera.batch.redis.keys.deleted", "Redis keys deleted", "job", job, "groupBy", groupBy).increment(n);
  }

  public void ingested(String table, String outcome, long n) {
    if (n <= 0) return;
    counter("tessera.batch.ingest.records", "Kafka records ingested (outcome=landed|error)", "table", table, "outcome", outcome).increment(n);
  }

  /** Events of {@code source} (a table or GroupBy) that the acceptance rule refused, by reason. */
  public void refused(String job, String source, Refusal reason, long n) {
    refused(job, source, reason.tag(), n);
  }

  /** @param reason a {@link Refusal#tag()} */
  public void refused(String job, String source, String reason, long n) {
    if (n <= 0) return;
    counter("tessera.batch.refused", "events the acceptance rule refused, by reason", "job", job, "source", source, "reason", reason)
        .increment(n);
  }

  private Counter counter(String name, String description, String... tags) {
    String id = name + String.join("|", tags);
    return counters.computeIfAbsent(id, k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
