package dev.tessera.cli;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.join.JoinCompileResult;
import dev.tessera.agg.join.JoinCompiler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Publishes definitions to the registry. Everything is validated first (GroupBys locally, Joins
 * against those GroupBys and the registry's): if any definition is invalid, nothing is published.
 * The GroupBys then go in one all-or-nothing call, and the Joins after them, since a Join may name
 * a GroupBy of the same folder.
 */
@Command(name = "register", mixinStandardHelpOptions = true,
    description = {"Validate and publish GroupBy and Join definitions (files or folders) to the registry.",
        "Nothing is published if any definition is invalid; GroupBys are published before the Joins over them."})
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
    List<Path> groupByFiles = new ArrayList<>();
    Map<Path, String> joinFiles = new LinkedHashMap<>();
    Map<String, CompiledGroupBy> groupBys = new LinkedHashMap<>();
    for (Path f : files) {
      String text = DefinitionFiles.read(f);
      if (Definitions.isJoin(text)) {
        joinFiles.put(f, text);
        continue;
      }
      groupByFiles.add(f);
      CompileResult r = GroupByCompiler.compile(text);
      if (r.ok()) {
        groupBys.put(r.compiled().name(), r.compiled());
      } else {
        invalid.add(f.toString());
        printInvalid(f, r.problems());
      }
    }
    Api api = endpoints.api();
    var resolver = Definitions.resolver(groupBys, api, endpoints);
    for (var e : joinFiles.entrySet()) {
      JoinCompileResult r = JoinCompiler.compile(e.getValue(), resolver);
      if (!r.ok()) {
        invalid.add(e.getKey().toString());
        printInvalid(e.getKey(), r.problems());
      }
    }
    if (!invalid.isEmpty()) {
      spec.commandLine().getErr().println("nothing published: " + invalid.size() + " of " + files.size() + " definitions are invalid");
      return 1;
    }
    Table table = new Table("file", "name", "version", dryRun ? "would" : "result");
    ArrayNode all = Api.JSON.createArrayNode();
    JsonNode groupByResults = null;
    boolean pending = false;
    if (!groupByFiles.isEmpty()) {
      ArrayNode batch = Api.JSON.createArrayNode();
      for (Path f : groupByFiles) batch.addObject().put("file", f.toString()).put("content", DefinitionFiles.read(f));
      // one call, all or nothing: the registry publishes every GroupBy or none
      JsonNode results = api.postJson(endpoints.registry + "/api/v1/groupbys:batch" + (dryRun ? "?dryRun=true" : ""), batch);
      for (JsonNode item : results.path("items")) {
        table.row(Api.text(item, "source"), Api.text(item, "name"), Api.text(item, "version"), change(Api.text(item, "change")));
        all.add(item);
      }
      groupByResults = results;
      pending = "PENDING".equals(results.path("publication").path("status").asString());
    }
    for (var e : joinFiles.entrySet()) {
      String url = endpoints.registry + "/api/v1/joins" + (dryRun ? "/validate" : "");
      JsonNode r = api.post(url, DefinitionFiles.contentType(e.getKey()), e.getValue());
      table.row(e.getKey().toString(), "join " + Api.text(r, "name"), Api.text(r, "version"), dryRun ? "valid" : change(Api.text(r, "change")));
      all.add(r);
      pending |= "PENDING".equals(r.path("publication").path("status").asString());
    }
    if (endpoints.json) {
      // GroupBys alone keep the registry's batch answer as it was; with Joins, one item per file
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(joinFiles.isEmpty() ? groupByResults : all));
    } else {
      table.print(out);
    }
    if (!dryRun && pending) {
      out.println("note: stored, but Kafka has not taken the records yet; the registry keeps re-sending them");
    }
    out.flush();
    return 0;
  }

  private void printInvalid(Path f, List<dev.tessera.agg.definition.Problem> problems) {
    spec.commandLine().getErr().println("INVALID " + f);
    problems.forEach(p -> spec.commandLine().getErr().println("  " + p.path() + ": " + p.message()));
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
