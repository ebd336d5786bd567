package dev.tessera.agg.registry;

import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The fields every published definition record (GroupBy, Join) has around its definition. */
final class PublishedRecords {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private PublishedRecords() {}

  /** A record holding {@code kind} (when given), {@code name}, {@code version}, {@code publishedAt} and {@code publishedBy} (when known). */
  static ObjectNode header(String kind, String name, int version, Instant publishedAt, String publishedBy) {
    ObjectNode n = JSON.createObjectNode();
    if (kind != null) n.put("kind", kind);
    n.put("name", name);
    n.put("version", version);
    n.put("publishedAt", publishedAt.toString());
    if (publishedBy != null) n.put("publishedBy", publishedBy);
    return n;
  }

  /** @throws IllegalArgumentException unless {@code n} is an object with name, version and definition */
  static void requireFields(JsonNode n, String what) {
    if (n == null || !n.isObject() || !n.has("definition") || !n.has("version") || !n.has("name")) {
      throw new IllegalArgumentException("not a published " + what + ": expected name, version and definition");
    }
  }

  static Instant publishedAt(JsonNode n) {
    return n.has("publishedAt") ? Instant.parse(n.get("publishedAt").asString()) : Instant.EPOCH;
  }

  static String publishedBy(JsonNode n) {
    return n.has("publishedBy") && !n.get("publishedBy").isNull() ? n.get("publishedBy").asString() : null;
  }
}
