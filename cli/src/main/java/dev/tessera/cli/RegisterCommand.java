package dev.tessera.cli;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.GroupByCompiler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * Publishes definitions to the registry. Everything is validated locally first: if any definition
 * is invalid, nothing is published (a team's folder of definitions goes in whole or not at all).
 */
@Command(name = "register", mixinStandardHelpOptions = true,
    description = "Validate and publish GroupBy definitions (files or folders) to the registry.")
final class RegisterCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE_OR_FOLDER")
  List<Path> paths;

  @Option(names = "--dry-run", description = "validate on the registry without publishing")
  boolean dryRun;

  @Mixin
  Endpoints endpoints;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = DefinitionFiles.expand(paths);
    List<String> invalid = new ArrayList<>();
    for (Path f : files) {
      CompileResult r = GroupByCompiler.compile(DefinitionFiles.read(f));
      if (!r.ok()) {
        invalid.add(f.toString());
        spec.commandLine().getErr().println("INVALID " + f);
        r.problems().forEach(p -> spec.commandLine().getErr().println("  " + p.path() + ": " + p.message()));
      }
    }
    if (!invalid.isEmpty()) {
      spec.commandLine().getErr().println("nothing published: " + invalid.size() + " of " + files.size() + " definitions are invalid");
      return 1;
    }
    Api api = endpoints.api();
    ArrayNode results = Api.JSON.createArrayNode();
    Table table = new Table("file", "groupBy", "version", "result");
    String path = dryRun ? "/api/v1/groupbys/validate" : "/api/v1/groupbys";
    for (Path f : files) {
      JsonNode r = api.post(endpoints.registry + path, DefinitionFiles.contentType(f), DefinitionFiles.read(f));
      results.add(r);
      table.row(f, Api.text(r, "name"), Api.text(r, "version"), dryRun ? "valid" : "published");
    }
    if (endpoints.json) {
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    } else {
      table.print(out);
    }
    out.flush();
    return 0;
  }
}
