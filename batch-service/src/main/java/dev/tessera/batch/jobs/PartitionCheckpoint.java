package dev.tessera.batch.jobs;

import dev.tessera.batch.read.ReadStats;
import dev.tessera.batch.read.ReaderState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A partition's progress, saved in its step execution context after every committed chunk: where
 * its readers stand, the last entity written, and its counts. A restarted partition reads it back
 * and continues after {@code lastEntity}; the job report and the status endpoint read it too.
 *
 * @param lastEntity the last entity whose output is committed, or null before the first chunk
 */
public record PartitionCheckpoint(ReaderState reader, List<Object> lastEntity, long entities, long rowsWritten, long chunks,
    Map<String, Long> counters) {
  public static final String KEY = "tessera.checkpoint";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public PartitionCheckpoint {
    counters = Map.copyOf(counters);
  }

  /** The counters after adding {@code delta}. */
  public static Map<String, Long> plus(Map<String, Long> counters, Map<String, Long> delta) {
    Map<String, Long> out = new TreeMap<>(counters);
    delta.forEach((k, v) -> out.merge(k, v, Long::sum));
    return out;
  }

  public ReadStats stats(int maxSamples) {
    return reader.total(maxSamples);
  }

  public String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.set("reader", reader.toJson());
    n.set("lastEntity", ReaderState.keyToJson(lastEntity));
    n.put("entities", entities);
    n.put("rowsWritten", rowsWritten);
    n.put("chunks", chunks);
    ObjectNode c = n.putObject("counters");
    counters.forEach(c::put);
    return JSON.writeValueAsString(n);
  }

  public static PartitionCheckpoint fromJson(String json, int maxSamples) {
    JsonNode n = JSON.readTree(json);
    return new PartitionCheckpoint(ReaderState.fromJson(n.get("reader"), maxSamples), ReaderState.keyFromJson(n.get("lastEntity")),
        n.path("entities").asLong(), n.path("rowsWritten").asLong(), n.path("chunks").asLong(), counters(n.path("counters")));
  }

  private static Map<String, Long> counters(JsonNode n) {
    Map<String, Long> out = new TreeMap<>();
    n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }

  /** The checkpoint in {@code ctx}, or null when the partition has not committed a chunk yet. */
  public static PartitionCheckpoint read(ExecutionContext ctx, int maxSamples) {
    return ctx.containsKey(KEY) ? fromJson(ctx.getString(KEY), maxSamples) : null;
  }

  public void write(ExecutionContext ctx) {
    ctx.putString(KEY, toJson());
  }
}
