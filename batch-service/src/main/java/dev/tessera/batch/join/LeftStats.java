package dev.tessera.batch.join;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The left rows as the prepare step found them in the spill: how many, how many without a time, the
 * largest row id, the left columns (as the warehouse spells them, in order), and per part the time
 * range and count of the rows it computes features for (those with its key and a time).
 */
record LeftStats(long rows, long withoutTime, Long maxRid, List<String> columns, List<PartStats> parts) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  LeftStats {
    columns = List.copyOf(columns);
    parts = List.copyOf(parts);
  }

  /** @param rows left rows with the part's whole key and a time: they get features; the others get nulls */
  record PartStats(Long minT, Long maxT, long rows) {}

  String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("rows", rows);
    n.put("withoutTime", withoutTime);
    putNullable(n, "maxRid", maxRid);
    ArrayNode c = n.putArray("columns");
    columns.forEach(c::add);
    ArrayNode ps = n.putArray("parts");
    for (PartStats p : parts) {
      ObjectNode o = ps.addObject();
      putNullable(o, "minT", p.minT());
      putNullable(o, "maxT", p.maxT());
      o.put("rows", p.rows());
    }
    return JSON.writeValueAsString(n);
  }

  static LeftStats fromJson(String json) {
    JsonNode n = JSON.readTree(json);
    List<String> columns = new ArrayList<>();
    n.get("columns").values().forEach(c -> columns.add(c.asString()));
    List<PartStats> parts = new ArrayList<>();
    for (JsonNode p : n.get("parts").values()) parts.add(new PartStats(nullable(p.get("minT")), nullable(p.get("maxT")), p.get("rows").asLong()));
    return new LeftStats(n.get("rows").asLong(), n.get("withoutTime").asLong(), nullable(n.get("maxRid")), columns, parts);
  }

  private static void putNullable(ObjectNode n, String field, Long value) {
    if (value == null) n.putNull(field);
    else n.put(field, value);
  }

  private static Long nullable(JsonNode n) {
    return n == null || n.isNull() ? null : n.asLong();
  }
}
