package dev.tessera.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/tessera}: the Chronon-style command line over Tessera's REST APIs. */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "tessera 0.1.0",
    description = "Feature platform: one GroupBy definition, batch and streaming, no training-serving skew.",
    subcommands = {ValidateCommand.class, RegisterCommand.class, FetchCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Service URLs default to the local stack (fetcher :8080, registry :8081, batch :8082, stream :8083);",
        "override them with --registry/--fetcher/--batch/--stream or TESSERA_REGISTRY_URL etc."})
public final class TesseraCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code: 0 ok, 1 failed, 2 bad usage. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new TesseraCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + oneLine(e)));
      return 1;
    });
    return cli.execute(args);
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
