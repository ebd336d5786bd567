package dev.tessera.batch.consistency;

import dev.tessera.support.Definitions;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.support.LiveGroupBy;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.support.CronExpression;

/**
 * The optional daily run ({@code tessera.batch.consistency.schedule=true}): at {@code cron} (UTC),
 * a consistency job of the previous UTC day for every online GroupBy. Set the cron after the daily
 * upload, so that the day's log is compared once its batch data is final. A GroupBy whose job cannot
 * start (no log table yet, a job of it still running) is logged and skipped; the others still run.
 */
public final class ConsistencySchedule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsistencySchedule.class);

  private final CronExpression cron;
  private final Definitions definitions;
  private final ConsistencyRequests requests;
  private final JobSubmitter submitter;
  private final Clock clock;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "consistency-schedule");
    t.setDaemon(true);
    return t;
  });

  public ConsistencySchedule(String cron, Definitions definitions, ConsistencyRequests requests, JobSubmitter submitter, Clock clock) {
    this.cron = CronExpression.parse(cron);
    this.definitions = definitions;
    this.requests = requests;
    this.submitter = submitter;
    this.clock = clock;
    scheduleNext();
  }

  private void scheduleNext() {
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
    ZonedDateTime next = cron.next(now);
    if (next == null) return;
    long delay = java.time.Duration.between(now, next).toMillis();
    log.info("next scheduled consistency run at {}", next);
    executor.schedule(() -> {
      try {
        runAll(next.toLocalDate().minusDays(1));
      } finally {
        scheduleNext();
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** Starts a job of {@code day} for every online GroupBy; returns how many started. */
  int runAll(LocalDate day) {
    int started = 0;
    for (LiveGroupBy g : definitions.all()) {
      if (!g.published().definition().online()) continue;
      try {
        long id = submitter.submit(requests.launch(new ConsistencyRequest(g.name(), day.toString(), day.toString(), null, null, null, null, null)));
        log.info("scheduled consistency job {} for {} on {}", id, g.name(), day);
        started++;
      } catch (RuntimeException e) {
        log.warn("scheduled consistency run of {} on {} not started: {}", g.name(), day, e.getMessage());
      }
    }
    return started;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
