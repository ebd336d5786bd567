package dev.tessera.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * How a job command ends: wait for the job with progress (default), or print its id at once; then
 * a table for people or the job's JSON for scripts. Exit code 0 when the job completed, 1 otherwise.
 */
final class JobOutput {
  @Option(names = "--no-wait", description = "print the job id and return at once (follow it with 'tessera jobs status ID')")
  boolean noWait;

  @Mixin
  Polling polling;

  /** Prints an accepted job's id, or follows it to its end, and returns the exit code. */
  int follow(CommandSpec spec, Endpoints endpoints, JsonNode accepted, Finisher finisher) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long id = accepted.path("id").asLong(-1);
    if (id < 0) throw new ApiException(0, "the batch service answered without a job id: " + accepted);
    if (noWait) {
      if (endpoints.json) {
        out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(accepted));
      } else {
        out.println(id);
        err.println("started " + accepted.path("job").asString("job") + " job " + id + "; follow it with: tessera jobs status " + id);
      }
      out.flush();
      err.flush();
      return 0;
    }
    JsonNode job = watch(spec, endpoints, id);
    return finisher.finish(job, out, err);
  }

  JsonNode watch(CommandSpec spec, Endpoints endpoints, long id) {
    String url = endpoints.batch + "/api/v1/jobs/" + id;
    return polling.watcher(spec, endpoints, url, JobWatcher.batchJob(url)).await();
  }

  /** Prints an ended job and decides the exit code. */
  @FunctionalInterface
  interface Finisher {
    int finish(JsonNode job, PrintWriter out, PrintWriter err);
  }

  /** The usual ending: the report (or JSON), and on failure one line saying why. */
  static Finisher standard(Endpoints endpoints) {
    return (job, out, err) -> {
      if (!endpoints.json && ConsistencyReport.isConsistency(job) && JobReport.succeeded(job)) {
        return ConsistencyReport.finish(job, out, err);
      }
      if (endpoints.json) {
        out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job));
        out.flush();
      } else {
        JobReport.print(out, job);
      }
      if (JobReport.succeeded(job)) return ConsistencyReport.isConsistency(job) ? ConsistencyReport.exitCode(job, err) : 0;
      err.println("error: " + JobReport.failureReason(job));
      err.flush();
      return 1;
    };
  }
}
