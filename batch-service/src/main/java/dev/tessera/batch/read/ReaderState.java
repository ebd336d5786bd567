package dev.tessera.batch.read;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Where a partition's readers stand, as JSON for the step's execution context. */
public record ReaderState(List<SourceCursor.State> sources, LeftCursor.State left) {

  public ReaderState {
    sources = List.copyOf(sources);
  }

  /** All sources' counts together. */
  public ReadStats total(int maxSamples) {
    ReadStats total = new ReadStats(maxSamples);
    for (SourceCursor.State s : sources) total.add(s.stats());
    return total;
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    ArrayNode a = n.putArray("sources");
    for (SourceCursor.State s : sources) {
      ObjectNode o = a.addObject();
      o.set("resumeAfter", keyToJson(s.resumeAfter()));
      o.put("exhausted", s.exhausted());
      o.set("stats", s.stats().toJson());
    }
    if (left != null) {
      ObjectNode l = n.putObject("left");
      l.set("resumeAfter", keyToJson(left.resumeAfter()));
      l.put("exhausted", left.exhausted());
      l.put("rows", left.rows());
    }
    return n;
  }

  public static ReaderState fromJson(JsonNode n, int maxSamples) {
    List<SourceCursor.State> sources = new ArrayList<>();
    for (JsonNode o : n.path("sources")) {
      sources.add(new SourceCursor.State(keyFromJson(o.get("resumeAfter")), o.path("exhausted").asBoolean(),
          ReadStats.fromJson(o.get("stats"), maxSamples)));
    }
    JsonNode l = n.get("left");
    LeftCursor.State left = l == null || l.isNull() ? null
        : new LeftCursor.State(keyFromJson(l.get("resumeAfter")), l.path("exhausted").asBoolean(), l.path("rows").asLong());
    return new ReaderState(sources, left);
  }

  /** A key as JSON, keeping its kinds: integers stay Long, other numbers Double. */
  public static JsonNode keyToJson(List<Object> key) {
    if (key == null) return JsonNodeFactory.instance.nullNode();
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (Object v : key) {
      switch (v) {
        case null -> a.addNull();
        case Long l -> a.add(l);
        case Double d -> a.add(d);
        case Boolean b -> a.add(b);
        default -> a.add(v.toString());
      }
    }
    return a;
  }

  public static List<Object> keyFromJson(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return null;
    List<Object> key = new ArrayList<>();
    for (JsonNode v : n) key.add(JdbcValues.toJava(v));
    return key;
  }
}
