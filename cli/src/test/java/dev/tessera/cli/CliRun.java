package dev.tessera.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process with captured output, with the same error handling as bin/tessera. */
record CliRun(int exit, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = TesseraCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** Runs the CLI with every service URL (batch, stream, registry) pointing at {@code url}, such as a {@link RecordedService}'s. */
  static CliRun against(String url, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 3);
    all[args.length] = "--batch=" + url;
    all[args.length + 1] = "--stream=" + url;
    all[args.length + 2] = "--registry=" + url;
    return of(all);
  }

  /** The command object picocli built for {@code args}, options set, not run. */
  @SuppressWarnings("unchecked")
  static <T> T parsed(String... args) {
    CommandLine.ParseResult r = TesseraCli.commandLine().parseArgs(args);
    while (r.hasSubcommand()) r = r.subcommand();
    return (T) r.commandSpec().userObject();
  }
}
