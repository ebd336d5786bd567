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

  @Option(names = "--dry-run", description = "ask the registry what publishing would do, without publishing")
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
    ArrayNode batch = Api.JSON.createArrayNode();
    for (Path f : files) batch.addObject().put("file", f.toString()).put("content", DefinitionFiles.read(f));
    // one call, all or nothing: the registry publishes every definition or none
    JsonNode results = api.postJson(endpoints.registry + "/api/v1/groupbys:batch" + (dryRun ? "?dryRun=true" : ""), batch);
    Table table = new Table("file", "groupBy", "version", dryRun ? "would" : "result");
    for (JsonNode item : results.path("items")) {
      table.row(Api.text(item, "source"), Api.text(item, "name"), Api.text(item, "version"), change(Api.text(item, "change")));
    }
    if (endpoints.json) {
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    } else {
      table.print(out);
    }
    if (!dryRun && "PENDING".equals(results.path("publication").path("status").asString())) {
      out.println("note: stored, but Kafka has not taken the records yet; the registry keeps re-sending them");
    }
    out.flush();
    return 0;
  }

  private static String change(String c) {
    if (c == null) return "-";
    return switch (c) {
      case "CREATED" -> "created";
      case "NEW_VERSION" -> "new version";
      case "METADATA_UPDATED" -> "metadata updated";
      case "UNCHANGED" -> "unchanged";
      default -> c.toLowerCase();
    };
  }
}
