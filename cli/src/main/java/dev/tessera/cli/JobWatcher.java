package dev.tessera.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;

/**
 * Follows a batch job by polling {@code GET /api/v1/jobs/{id}} until it ends. On a terminal the
 * progress line is redrawn in place with a bar; otherwise a plain line is written when the status
 * or the partitions done change, and at least every {@code plainEvery}, so logs stay short.
 */
final class JobWatcher {
  private final Api api;
  private final String jobUrl;
  private final PrintWriter err;
  private final boolean terminal;
  private final boolean quiet;
  private final Duration interval;
  private final Duration plainEvery;
  private final LongSupplier clock;

  JobWatcher(Api api, String jobUrl, PrintWriter err, boolean terminal, boolean quiet, Duration interval, Duration plainEvery,
      LongSupplier clock) {
    this.api = api;
    this.jobUrl = jobUrl;
    this.err = err;
    this.terminal = terminal;
    this.quiet = quiet;
    this.interval = interval;
    this.plainEvery = plainEvery;
    this.clock = clock;
  }

  /** Polls until the job has ended and returns its last view. */
  JsonNode await() {
    long start = clock.getAsLong();
    int shown = 0;
    String lastKey = null;
    long lastPlain = Long.MIN_VALUE;
    Thread hint = new Thread(() -> {
      err.println();
      err.println("stopped watching; the job keeps running: tessera jobs status " + jobUrl.substring(jobUrl.lastIndexOf('/') + 1));
      err.flush();
    });
    Runtime.getRuntime().addShutdownHook(hint);
    try {
      while (true) {
        JsonNode job = api.get(jobUrl);
        long now = clock.getAsLong();
        if (!quiet) {
          Duration elapsed = Duration.ofMillis(now - start);
          if (terminal) {
            String line = ProgressLine.render(job, elapsed, true);
            err.print(ProgressLine.overwrite(line, shown));
            shown = line.length();
            if (JobReport.ended(job)) err.println();
            err.flush();
          } else {
            String key = job.path("status").asString("") + "/" + job.path("progress").path("partitionsDone").asInt(0);
            if (!key.equals(lastKey) || now - lastPlain >= plainEvery.toMillis() || JobReport.ended(job)) {
              err.println(ProgressLine.render(job, elapsed, false));
              err.flush();
              lastKey = key;
              lastPlain = now;
            }
          }
        }
        if (JobReport.ended(job)) return job;
        sleep(interval);
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hint);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running already: nothing to undo
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted");
    }
  }

  /** Whether the CLI talks to a person: a console that is a terminal (JDK 22+ has one even when redirected). */
  static boolean onTerminal() {
    java.io.Console c = System.console();
    return c != null && c.isTerminal();
  }
}
