package dev.tessera.agg.registry;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.GroupByWriter;
import dev.tessera.agg.definition.ParseResult;
import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A version of a GroupBy as the registry publishes it: the record on the compacted registry topic
 * (key = GroupBy name; a null value, the tombstone, means retired) and the body of the registry's
 * {@code GET /api/v1/groupbys/{name}}. Services that follow the topic know every live definition.
 *
 * <pre>{"name": "fraud_features", "version": 3, "publishedAt": "2026-11-25T12:00:00Z",
 *  "publishedBy": "alice", "definition": { ...the GroupBy document... }}</pre>
 */
public record PublishedGroupBy(String name, int version, GroupBy definition, Instant publishedAt, String publishedBy) {
  /** Default name of the compacted registry topic. */
  public static final String TOPIC = "tessera.registry";
  /**
   * The key prefix of a GroupBy's pending version on the registry topic (DESIGN.md "Version
   * rollout"): published after the live one, which keeps the bare name until the switch.
   */
  public static final String ROLLOUT_KEY_PREFIX = "rollout:";

  /** The topic key of GroupBy {@code name}'s pending version. */
  public static String rolloutKey(String name) {
    return ROLLOUT_KEY_PREFIX + name;
  }

  private static final JsonMapper JSON = PublishedRecords.JSON;

  public PublishedGroupBy {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(publishedAt, "publishedAt");
    if (version < 1) throw new IllegalArgumentException("version must be >= 1");
    if (!name.equals(definition.name())) throw new IllegalArgumentException("name " + name + " != definition name " + definition.name());
  }

  public ObjectNode toTree() {
    ObjectNode n = PublishedRecords.header(null, name, version, publishedAt, publishedBy);
    n.set("definition", GroupByWriter.toTree(definition));
    return n;
  }

  public String toJson() {
    return JSON.writeValueAsString(toTree());
  }

  public static PublishedGroupBy fromJson(String json) {
    return fromTree(JSON.readTree(json));
  }

  /**
   * @throws IllegalArgumentException when the record is not a readable published GroupBy
   */
  public static PublishedGroupBy fromTree(JsonNode n) {
    PublishedRecords.requireFields(n, "GroupBy");
    ParseResult parsed = GroupByReader.read(n.get("definition"));
    if (parsed.groupBy() == null || !parsed.problems().isEmpty()) {
      throw new IllegalArgumentException("published GroupBy " + n.get("name").asString() + " does not parse: " + parsed.problems());
    }
    Instant at = PublishedRecords.publishedAt(n);
    String by = PublishedRecords.publishedBy(n);
    return new PublishedGroupBy(n.get("name").asString(), n.get("version").asInt(), parsed.groupBy(), at, by);
  }
}
