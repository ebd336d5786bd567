package dev.tessera.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/tessera}: the Chronon-style command line over Tessera's REST APIs. */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "tessera 0.1.0",
    description = "Feature platform: one GroupBy definition, batch and streaming, no training-serving skew.",
    subcommands = {ValidateCommand.class, RegisterCommand.class, BackfillCommand.class, TrainingSetCommand.class,
        UploadCommand.class, RolloutCommand.class, IngestCommand.class, ConsistencyCommand.class, JobsCommand.class, StreamingJobCommand.class,
        FetchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Service URLs default to the local stack (fetcher :8080, registry :8081, batch :8082, stream :8083);",
        "override them with --registry/--fetcher/--batch/--stream or TESSERA_REGISTRY_URL etc.",
        "Job commands wait for the job with progress (--no-wait: print the id); --json prints JSON only, for scripts.",
        "'tessera rollout' starts a new version's rollout and returns (--wait: follow it until the version is live).",
        "Exit codes: 0 ok, 1 failed, 2 bad usage. 'tessera COMMAND --help' shows examples."})
public final class TesseraCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code: 0 ok, 1 failed, 2 bad usage. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with the error handling of {@link #run}: an exception is one line on stderr and exit code 1. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new TesseraCli());
    cli.setUsageHelpWidth(120);
    cli.setUsageHelpLongOptionsMaxWidth(32);
    // a usage mistake is the message and a pointer to --help, not the whole usage text
    cli.setParameterExceptionHandler((e, args) -> {
      CommandLine cmd = e.getCommandLine();
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
      if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cmd.getErr())) {
        cmd.getErr().println("see: " + cmd.getCommandSpec().qualifiedName() + " --help");
      }
      cmd.getErr().flush();
      return 2;
    });
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + oneLine(e)));
      cmd.getErr().flush();
      return 1;
    });
    return cli;
  }

  static String oneLine(Throwable e) {
    if (e instanceof ApiException api) return api.getMessage();
    String m = e.getMessage();
    if (e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException) {
      return "cannot connect: is the service running? (" + (m == null ? e : m) + ")";
    }
    return m == null ? e.toString() : m;
  }
}
