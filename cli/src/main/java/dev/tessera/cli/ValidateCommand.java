package dev.tessera.cli;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.JoinCompileResult;
import dev.tessera.agg.join.JoinCompiler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * path, or the features a valid definition produces. GroupBys need no server; a Join's parts are
 * checked against the GroupBys of the same command line, and against the registry for the others.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Validate GroupBy and Join definitions (files or folders of YAML/JSON).",
        "GroupBys need no server. A Join's parts are checked against the GroupBys given on the same command line,",
        "and against the registry (--registry) for GroupBys not among them."})
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
    Map<String, CompiledGroupBy> groupBys = new LinkedHashMap<>();
    Map<Path, String> joins = new LinkedHashMap<>();
    for (Path file : files) {
      String text = DefinitionFiles.read(file);
      if (Definitions.isJoin(text)) {
        joins.put(file, text);   // after the GroupBys: a Join may name one of them
        continue;
      }
      CompileResult r = GroupByCompiler.compile(text);
      if (!r.ok()) invalid++;
      else groupBys.put(r.compiled().name(), r.compiled());
      if (endpoints.json) {
        json.add(toJson(file, r));
      } else {
        print(out, file, r);
      }
    }
    var resolver = Definitions.resolver(groupBys, endpoints.api(), endpoints);
    for (var e : joins.entrySet()) {
      JoinCompileResult r = JoinCompiler.compile(e.getValue(), resolver);
      if (!r.ok()) invalid++;
      if (endpoints.json) {
        json.add(toJson(e.getKey(), r));
      } else {
        print(out, e.getKey(), r);
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
      printProblems(out, file, r.problems());
      return;
    }
    CompiledGroupBy g = r.compiled();
    out.println("OK " + file + ": " + g.name() + ", keys " + g.keyNames() + ", tile size " + Durations.format(g.tileSize()));
    Table t = new Table("feature", "type", "window", "hop");
    g.features().forEach(f -> t.row(f.name(), f.type().spec(), f.isLifetime() ? "lifetime" : f.window().spec(),
        f.isLifetime() ? "-" : Durations.format(dev.tessera.agg.window.Windows.hop(f.window()))));
    t.print(out);
  }

  private static void print(PrintWriter out, Path file, JoinCompileResult r) {
    if (!r.ok()) {
      printProblems(out, file, r.problems());
      return;
    }
    CompiledJoin j = r.compiled();
    out.println("OK " + file + ": Join " + j.name() + ", " + j.parts().size() + " parts, request " + j.definition().request()
        + ", " + j.outputColumns().size() + " output columns");
    Table t = new Table("column", "type", "from");
    j.outputColumns().forEach(c -> t.row(c.name(), c.type().spec(), switch (c.kind()) {
      case REQUEST -> "request";
      case FEATURE -> j.parts().get(c.part()).part().groupBy() + "." + c.feature();
      case DERIVED -> "derived";
    }));
    t.print(out);
  }

  private static ObjectNode toJson(Path file, JoinCompileResult r) {
    ObjectNode n = Api.JSON.createObjectNode();
    n.put("file", file.toString());
    n.put("kind", "join");
    n.put("valid", r.ok());
    ArrayNode problems = n.putArray("problems");
    r.problems().forEach(p -> problems.addObject().put("path", p.path()).put("message", p.message()));
    if (r.ok()) {
      n.put("name", r.compiled().name());
      ArrayNode columns = n.putArray("columns");
      r.compiled().outputColumns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type().spec())
          .put("kind", c.kind().name()));
    }
    return n;
  }

  private static void printProblems(PrintWriter out, Path file, List<Problem> problems) {
    out.println("INVALID " + file + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ")");
    for (Problem p : problems) out.println("  " + p.path() + ": " + p.message().replace("\n", "\n    "));
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
