package dev.tessera.agg.testkit;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupByReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The reference vectors of {@code shared/vectors} (copied into this module's test resources):
 * a GroupBy, raw events and expected feature values at many query times, computed by an
 * implementation of DESIGN.md that shares no code with Tessera.
 */
public record ReferenceVectors(String file, CompiledGroupBy groupBy, List<Map<String, Object>> events, List<Query> queries) {

  /** One expectation: the features of entity {@code keys} as of {@code t}. */
  public record Query(Map<String, Object> keys, long t, Map<String, Object> features) {}

  public static final List<String> FILES = List.of("all_ops.json", "cel_where_select.json");

  public static List<ReferenceVectors> all() {
    return FILES.stream().map(ReferenceVectors::load).toList();
  }

  public static ReferenceVectors load(String file) {
    try (InputStream in = ReferenceVectors.class.getResourceAsStream("/vectors/" + file)) {
      if (in == null) throw new IllegalStateException("missing test resource /vectors/" + file);
      JsonNode root = Json.MAPPER.readTree(in);
      CompiledGroupBy g = GroupByCompiler.compile(GroupByReader.read(root.get("groupBy"))).orThrow();
      List<Map<String, Object>> events = new ArrayList<>();
      root.get("events").values().forEach(e -> events.add(Json.toMap(e)));
      List<Query> queries = new ArrayList<>();
      for (JsonNode q : root.get("queries").values()) {
        queries.add(new Query(Json.toMap(q.get("keys")), q.get("t").asLong(), Json.toMap(q.get("features"))));
      }
      return new ReferenceVectors(file, g, events, queries);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return file;
  }
}
