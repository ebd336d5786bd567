package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ValidateCommandTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new TesseraCli());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void aValidDefinitionListsItsFeaturesAndExitsZero() throws Exception {
    Path f = Files.writeString(dir.resolve("g.yaml"), """
        name: g
        keys: [user_id]
        sources: [{events: {table: t, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: AVG, windows: [1h, 24h]}]
        """);
    Run r = run("validate", f.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("OK ").contains("amount_avg_1h").contains("amount_avg_24h").contains("tile size 5m");
  }

  @Test
  void everyProblemIsPrintedWithItsPathAndTheExitCodeIsOne() throws Exception {
    Files.writeString(dir.resolve("bad.yaml"), """
        name: Bad
        keys: [user]
        sources: [{events: {table: t, schema: {user_id: STRING, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: SUMM}]
        """);
    Run r = run("validate", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("INVALID").contains("$.name").contains("$.keys[0]").contains("$.aggregations[0].operation");
  }

  @Test
  void jsonOutputForScripts() throws Exception {
    Files.writeString(dir.resolve("bad.json"), "{\"name\": \"x\"}");
    Run r = run("validate", "--json", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("\"valid\" : false").contains("\"path\" : \"$.keys\"");
  }

  private void writeUserGroupBy() throws Exception {
    Files.writeString(dir.resolve("user_stats.yaml"), """
        name: user_stats
        keys: [user_id]
        sources: [{events: {table: t, schema: {user_id: STRING, amount: DOUBLE, ts: LONG}, query: {timeColumn: ts}}}]
        aggregations: [{inputColumn: amount, operation: AVG, windows: [1h]}, {inputColumn: amount, operation: COUNT, windows: [1h]}]
        """);
  }

  @Test
  void aJoinIsCheckedAgainstTheGroupBysOfTheSameCommandLine() throws Exception {
    writeUserGroupBy();
    Files.writeString(dir.resolve("model.yaml"), """
        name: model
        left: {table: checkouts, timeColumn: ts, schema: {buyer: STRING, amount_now: DOUBLE, ts: LONG}}
        parts: [{groupBy: user_stats, keyMapping: {buyer: user_id}, prefix: buyer}]
        request: [amount_now]
        derivations: [{name: vs_avg, expression: "amount_now / buyer_amount_avg_1h"}]
        """);
    Run r = run("validate", "--registry=http://127.0.0.1:1", dir.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("OK ").contains("Join model").contains("buyer_amount_count_1h").contains("user_stats.amount_avg_1h")
        .contains("vs_avg").contains("2 of 2 definitions valid");
  }

  @Test
  void aBadJoinGetsEveryProblemWithItsPath() throws Exception {
    writeUserGroupBy();
    Files.writeString(dir.resolve("model.yaml"), """
        name: model
        left: {table: checkouts, timeColumn: ts, schema: {buyer: LONG, ts: LONG}}
        parts: [{groupBy: user_stats, keyMapping: {buyer: user_id}}]
        request: [amount_now]
        derivations: [{name: bad, expression: "user_stats_amount_avg_1h +"}]
        """);
    Run r = run("validate", "--registry=http://127.0.0.1:1", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).contains("INVALID").contains("$.parts[0].keyMapping").contains("$.request[0]")
        .contains("$.derivations[0].expression");
  }

  @Test
  void aMissingFileIsAOneLineError() {
    assertThat(TesseraCli.run("validate", dir.resolve("nope.yaml").toString())).isEqualTo(1);
  }
}
