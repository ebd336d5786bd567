package dev.tessera.cli;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** How a waiting command polls what it follows (a batch job, a rollout): every --poll-ms, progress on stderr. */
final class Polling {
  @Option(names = "--poll-ms", hidden = true, defaultValue = "500", description = "how often the job is polled")
  int pollMillis;

  /**
   * A watcher of {@code url} with the command's output: a redrawn line on a terminal, plain lines
   * otherwise (at least every 5 s), nothing with --json.
   */
  JobWatcher watcher(CommandSpec spec, Endpoints endpoints, String url, JobWatcher.Subject subject) {
    boolean terminal = !endpoints.json && JobWatcher.onTerminal();
    return new JobWatcher(endpoints.api(), url, subject, spec.commandLine().getErr(), terminal, endpoints.json,
        Duration.ofMillis(Math.max(10, pollMillis)), Duration.ofSeconds(5), System::currentTimeMillis);
  }
}
