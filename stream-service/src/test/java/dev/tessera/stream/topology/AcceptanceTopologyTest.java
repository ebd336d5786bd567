package dev.tessera.stream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.testkit.AcceptanceCases;
import dev.tessera.agg.testkit.AcceptanceCases.Case;
import dev.tessera.agg.testkit.AcceptanceCases.Outcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The acceptance rule in the stream topology (DESIGN.md "Which events count"), with the records
 * the batch side's {@code AcceptanceBatchTest} ingests and reads: every refused record reaches the
 * dead-letter topic with its reason and is counted under it, every accepted one is tiled under its
 * entity whatever its record key, under either partitioning.
 */
class AcceptanceTopologyTest {

  @ParameterizedTest
  @EnumSource(TopologySettings.Partitioning.class)
  void theStreamReachesTheOutcomeOfEveryCase(TopologySettings.Partitioning partitioning) {
    GroupBy definition = AcceptanceCases.compiled("purchases").definition();
    try (TopologyHarness h = new TopologyHarness(definition, TopologyHarness.settings().withPartitioning(partitioning))) {
      for (Case c : AcceptanceCases.ALL) h.send(AcceptanceCases.TOPIC, c.key(), c.value(), c.recordTime());
      h.flush();

      List<Case> refused = AcceptanceCases.ALL.stream().filter(c -> c.outcome() == Outcome.REFUSED).toList();
      List<JsonNode> letters = h.deadLetters();
      assertThat(letters).hasSize(refused.size());
      for (int i = 0; i < letters.size(); i++) {
        assertThat(letters.get(i).get("kind").asString()).isEqualTo("malformed");
        assertThat(letters.get(i).get("refusal").asString()).as(refused.get(i).name()).isEqualTo(refused.get(i).refusal().tag());
      }
      Map<String, Long> counted = new TreeMap<>();
      AcceptanceCases.expectedRefusals().keySet().forEach(reason ->
          counted.put(reason, (long) h.count("events.refused", "groupBy", "acceptance", "reason", reason)));
      assertThat(counted).isEqualTo(AcceptanceCases.expectedRefusals());
      assertThat(h.count("events.filtered", "groupBy", "acceptance")).isEqualTo(1);
      assertThat(h.count("events.applied", "groupBy", "acceptance")).isEqualTo(AcceptanceCases.acceptedUsers().size());
      assertThat(h.redis.hashes.keySet()).containsExactlyInAnyOrderElementsOf(
          AcceptanceCases.acceptedUsers().stream().map(u -> RedisKeys.tilesKey("acceptance", 1, List.of(u))).toList());
    }
  }
}
