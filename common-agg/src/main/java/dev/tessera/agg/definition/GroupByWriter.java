package dev.tessera.agg.definition;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Writes a GroupBy in the document format of DESIGN.md; {@link GroupByReader} reads it back equal. */
public final class GroupByWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private GroupByWriter() {}

  public static String toJson(GroupBy g) {
    return TreeWriter.json(toTree(g));
  }

  public static String toCompactJson(GroupBy g) {
    return TreeWriter.compactJson(toTree(g));
  }

  public static String toYaml(GroupBy g) {
    return TreeWriter.yaml(toTree(g));
  }

  public static ObjectNode toTree(GroupBy g) {
    ObjectNode root = NODES.objectNode();
    root.put("name", g.name());
    if (g.team() != null) root.put("team", g.team());
    if (g.description() != null) root.put("description", g.description());
    root.put("online", g.online());
    strings(root.putArray("keys"), g.keys());
    ArrayNode sources = root.putArray("sources");
    for (Source s : g.sources()) {
      sources.add(source(s));
    }
    ArrayNode aggs = root.putArray("aggregations");
    for (Aggregation a : g.aggregations()) {
      aggs.add(aggregation(a));
    }
    ObjectNode streaming = root.putObject("streaming");
    streaming.put("watermarkDelay", DurationSpec.format(g.streaming().watermarkDelay()));
    streaming.put("allowedLateness", DurationSpec.format(g.streaming().allowedLateness()));
    return root;
  }

  private static JsonNode source(Source s) {
    ObjectNode wrapper = NODES.objectNode();
    EventSource e = (EventSource) s;
    ObjectNode ev = wrapper.putObject("events");
    if (e.table() != null) ev.put("table", e.table());
    if (e.parquet() != null) ev.put("parquet", e.parquet());
    if (e.topic() != null) ev.put("topic", e.topic());
    ObjectNode schema = ev.putObject("schema");
    e.schema().forEach((k, v) -> schema.put(k, v.spec()));
    ObjectNode query = ev.putObject("query");
    if (!e.query().selects().isEmpty()) {
      ObjectNode selects = query.putObject("selects");
      e.query().selects().forEach(selects::put);
    }
    if (!e.query().wheres().isEmpty()) {
      strings(query.putArray("wheres"), e.query().wheres());
    }
    if (e.query().timeColumn() != null) query.put("timeColumn", e.query().timeColumn());
    return wrapper;
  }

  private static JsonNode aggregation(Aggregation a) {
    ObjectNode n = NODES.objectNode();
    n.put("inputColumn", a.inputColumn());
    n.put("operation", a.operation().name());
    if (!a.windows().isEmpty()) {
      ArrayNode w = n.putArray("windows");
      a.windows().forEach(x -> w.add(x.spec()));
    }
    if (!a.buckets().isEmpty()) strings(n.putArray("buckets"), a.buckets());
    if (!a.args().isEmpty()) {
      ObjectNode args = n.putObject("args");
      a.args().forEach(args::put);
    }
    return n;
  }

  private static void strings(ArrayNode array, java.util.List<String> values) {
    values.forEach(array::add);
  }
}
