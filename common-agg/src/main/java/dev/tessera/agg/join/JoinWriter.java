package dev.tessera.agg.join;

import dev.tessera.agg.definition.TreeWriter;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Writes a Join in the document form {@link JoinReader} reads (optional fields left out when unset). */
public final class JoinWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JoinWriter() {}

  public static ObjectNode toTree(Join join) {
    ObjectNode root = NODES.objectNode();
    root.put("name", join.name());
    if (join.team() != null) root.put("team", join.team());
    if (join.description() != null) root.put("description", join.description());
    root.put("online", join.online());
    if (join.left() != null) {
      LeftSource l = join.left();
      ObjectNode left = root.putObject("left");
      if (l.table() != null) left.put("table", l.table());
      if (l.parquet() != null) left.put("parquet", l.parquet());
      if (l.topic() != null) left.put("topic", l.topic());
      if (l.timeColumn() != null) left.put("timeColumn", l.timeColumn());
      ObjectNode schema = left.putObject("schema");
      l.schema().forEach((column, type) -> schema.put(column, type.spec()));
    }
    ArrayNode parts = root.putArray("parts");
    for (JoinPart p : join.parts()) {
      ObjectNode n = parts.addObject();
      n.put("groupBy", p.groupBy());
      if (p.version() != null) n.put("version", p.version());
      ObjectNode mapping = n.putObject("keyMapping");
      p.keyMapping().forEach(mapping::put);
      if (p.prefix() != null) n.put("prefix", p.prefix());
    }
    if (!join.request().isEmpty()) {
      ArrayNode request = root.putArray("request");
      join.request().forEach(request::add);
    }
    if (!join.derivations().isEmpty()) {
      ArrayNode derivations = root.putArray("derivations");
      for (Derivation d : join.derivations()) {
        derivations.addObject().put("name", d.name()).put("expression", d.expression());
      }
    }
    return root;
  }

  public static String toJson(Join join) {
    return TreeWriter.json(toTree(join));
  }

  public static String toYaml(Join join) {
    return TreeWriter.yaml(toTree(join));
  }
}
