package dev.tessera.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.GroupByWriter;
import dev.tessera.agg.join.JoinWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Definitions from files: GroupBys and Joins side by side, the highest version live, every version compiled once. */
class DirectoryDefinitionsTest {
  @TempDir
  Path dir;

  @Test
  void groupBysAndJoinsAreReadSideBySideAndBadFilesAreSkipped() throws Exception {
    Files.writeString(dir.resolve("users.yaml"), GroupByWriter.toYaml(TestDefinitions.groupBy("users", "1h")));
    Files.writeString(dir.resolve("users-v3.json"), TestDefinitions.published("users", 3, "3h").toJson());
    Files.writeString(dir.resolve("model.json"), TestDefinitions.join("model", 1, null).toJson());
    Files.writeString(dir.resolve("pinned.yaml"), JoinWriter.toYaml(TestDefinitions.join("pinned", 1, 1).definition()));
    Files.writeString(dir.resolve("broken.yaml"), "name: broken\nkeys: [");
    Files.writeString(dir.resolve("notes.txt"), "not a definition");

    Definitions definitions = Definitions.directory(dir);
    assertThat(definitions.isCaughtUp()).isTrue();
    assertThat(definitions.all()).extracting(LiveGroupBy::name).containsExactly("users");
    assertThat(definitions.live("users").orElseThrow().version()).as("the highest version is live").isEqualTo(3);
    assertThat(definitions.version("users", 1).orElseThrow().compiled().features().getFirst().name()).isEqualTo("amount_sum_1h");
    assertThat(definitions.live("broken")).isEmpty();
    assertThat(definitions.pending("users")).as("files have no rollout").isEmpty();

    JoinResolution model = definitions.resolve(definitions.liveJoin("model").orElseThrow());
    assertThat(model.compiled().outputColumns()).extracting(c -> c.name()).containsExactly("buyer_amount_sum_3h");
    JoinResolution pinned = definitions.resolve(definitions.liveJoin("pinned").orElseThrow());
    assertThat(pinned.compiled().outputColumns()).extracting(c -> c.name()).containsExactly("buyer_amount_sum_1h");
    assertThat(definitions.joinVersion("pinned", 2)).isEmpty();
    assertThat(definitions.allJoins()).as("every Join, for the batch service's table ownership")
        .extracting(j -> j.name()).containsExactlyInAnyOrder("model", "pinned");
  }

  @Test
  void aVersionIsCompiledOnceAndAgainOnlyWhenItsFileChanges() throws Exception {
    Path file = dir.resolve("users.yaml");
    Files.writeString(file, GroupByWriter.toYaml(TestDefinitions.groupBy("users", "1h")));
    DirectoryDefinitions definitions = new DirectoryDefinitions(dir);
    for (int i = 0; i < 5; i++) definitions.live("users").orElseThrow();
    definitions.all();
    definitions.compile(definitions.live("users").orElseThrow().published());
    assertThat(definitions.compilations()).isEqualTo(1);

    Files.writeString(file, GroupByWriter.toYaml(TestDefinitions.groupBy("users", "2h")));
    assertThat(definitions.live("users").orElseThrow().compiled().features().getFirst().name())
        .as("an edited file counts on the next lookup").isEqualTo("amount_sum_2h");
    assertThat(definitions.compilations()).isEqualTo(2);
  }
}
