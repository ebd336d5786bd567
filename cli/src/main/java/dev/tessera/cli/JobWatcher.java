package dev.tessera.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;

/**
 * Follows a batch job by polling {@code GET /api/v1/jobs/{id}} until it ends (or, with another
 * {@link Subject}, any view that ends, such as a rollout). On a terminal the progress line is
 * redrawn in place with a bar; otherwise a plain line is written when the status or the partitions
 * done change, and at least every {@code plainEvery}, so logs stay short.
 */
final class JobWatcher {
  /** What is followed: when its view has ended, its progress line, what counts as a change, what to say when watching stops. */
  interface Subject {
    boolean ended(JsonNode view);

    String line(JsonNode view, Duration elapsed, boolean bar);

    /** Equal keys: nothing changed worth a plain line. */
    String changeKey(JsonNode view);

    /** Printed when the user stops the CLI (Ctrl-C) while it watches. */
    String stoppedWatching();
  }

  /** A batch job at {@code jobUrl} ({@code .../api/v1/jobs/{id}}). */
  static Subject batchJob(String jobUrl) {
    return new Subject() {
      @Override
      public boolean ended(JsonNode job) {
        return JobReport.ended(job);
      }

      @Override
      public String line(JsonNode job, Duration elapsed, boolean bar) {
        return ProgressLine.render(job, elapsed, bar);
      }

      @Override
      public String changeKey(JsonNode job) {
        return job.path("status").asString("") + "/" + job.path("progress").path("partitionsDone").asInt(0);
      }

      @Override
      public String stoppedWatching() {
        return "stopped watching; the job keeps running: tessera jobs status " + jobUrl.substring(jobUrl.lastIndexOf('/') + 1);
      }
    };
  }

  private final Api api;
  private final String url;
  private final Subject subject;
  private final PrintWriter err;
  private final boolean terminal;
  private final boolean quiet;
  private final Duration interval;
  private final Duration plainEvery;
  private final LongSupplier clock;

  JobWatcher(Api api, String jobUrl, PrintWriter err, boolean terminal, boolean quiet, Duration interval, Duration plainEvery,
      LongSupplier clock) {
    this(api, jobUrl, batchJob(jobUrl), err, terminal, quiet, interval, plainEvery, clock);
  }

  JobWatcher(Api api, String url, Subject subject, PrintWriter err, boolean terminal, boolean quiet, Duration interval,
      Duration plainEvery, LongSupplier clock) {
    this.api = api;
    this.url = url;
    this.subject = subject;
    this.err = err;
    this.terminal = terminal;
    this.quiet = quiet;
    this.interval = interval;
    this.plainEvery = plainEvery;
    this.clock = clock;
  }

  /** Polls until the job (the subject) has ended and returns its last view. */
  JsonNode await() {
    long start = clock.getAsLong();
    int shown = 0;
    String lastKey = null;
    long lastPlain = Long.MIN_VALUE;
    Thread hint = new Thread(() -> {
      err.println();
      err.println(subject.stoppedWatching());
      err.flush();
    });
    Runtime.getRuntime().addShutdownHook(hint);
    try {
      while (true) {
        JsonNode job = api.get(url);
        long now = clock.getAsLong();
        if (!quiet) {
          Duration elapsed = Duration.ofMillis(now - start);
          if (terminal) {
            String line = subject.line(job, elapsed, true);
            err.print(ProgressLine.overwrite(line, shown));
            shown = line.length();
            if (subject.ended(job)) err.println();
            err.flush();
          } else {
            String key = subject.changeKey(job);
            if (!key.equals(lastKey) || now - lastPlain >= plainEvery.toMillis() || subject.ended(job)) {
              err.println(subject.line(job, elapsed, false));
              err.flush();
              lastKey = key;
              lastPlain = now;
            }
          }
        }
        if (subject.ended(job)) return job;
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
