package dev.tessera.cli;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.Problem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Compiles definitions locally with the same code the registry runs: every problem with its JSON
 * path, or the features a valid definition produces. Needs no server.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Validate GroupBy definitions (files or folders of YAML/JSON) without a server.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE_OR_FOLDER")
  List<Path> paths;

  @Mixin
  Endpoints endpoints;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Path> files = DefinitionFiles.expand(paths);
    int invalid = 0;
    ArrayNode json = Api.JSON.createArrayNode();
    for (Path file : files) {
      CompileResult r = GroupByCompiler.compile(DefinitionFiles.read(file));
      if (!r.ok()) invalid++;
      if (endpoints.json) {
        json.add(toJson(file, r));
      } else {
        print(out, file, r);
      }
    }
    if (endpoints.json) {
      out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    } else if (files.size() > 1) {
      out.println((files.size() - invalid) + " of " + files.size() + " definitions valid");
    }
    out.flush();
    return invalid == 0 ? 0 : 1;
  }

  private static void print(PrintWriter out, Path file, CompileResult r) {
    if (!r.ok()) {
      out.println("INVALID " + file + " (" + r.problems().size() + " problem" + (r.problems().size() == 1 ? "" : "s") + ")");
      for (Problem p : r.problems()) out.println("  " + p.path() + ": " + p.message().replace("\n", "\n    "));
      return;
    }
    CompiledGroupBy g = r.compiled();
    out.println("OK " + file + ": " + g.name() + ", keys " + g.keyNames() + ", tile size " + Durations.format(g.tileSize()));
    Table t = new Table("feature", "type", "window", "hop");
    g.features().forEach(f -> t.row(f.name(), f.type().spec(), f.isLifetime() ? "lifetime" : f.window().spec(),
        f.isLifetime() ? "-" : Durations.format(dev.tessera.agg.window.Windows.hop(f.window()))));
    t.print(out);
  }

  private static ObjectNode toJson(Path file, CompileResult r) {
    ObjectNode n = Api.JSON.createObjectNode();
    n.put("file", file.toString());
    n.put("valid", r.ok());
    ArrayNode problems = n.putArray("problems");
    r.problems().forEach(p -> problems.addObject().put("path", p.path()).put("message", p.message()));
    if (r.ok()) {
      n.put("name", r.compiled().name());
      ArrayNode features = n.putArray("features");
      r.compiled().features().forEach(f -> features.addObject().put("name", f.name()).put("type", f.type().spec()));
    }
    return n;
  }
}
