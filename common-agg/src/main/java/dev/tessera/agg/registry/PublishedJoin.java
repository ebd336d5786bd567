package dev.tessera.agg.registry;

import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinParseResult;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.join.JoinWriter;
import java.time.Instant;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A version of a Join as the registry publishes it: the record on the compacted registry topic
 * under the key {@code join:<name>} (GroupBys and Joins have their own namespaces; a null value
 * means retired) and the body of {@code GET /api/v1/joins/{name}}.
 *
 * <pre>{"kind": "join", "name": "fraud_model", "version": 2, "publishedAt": "...",
 *  "publishedBy": "alice", "definition": { ...the Join document... }}</pre>
 */
public record PublishedJoin(String name, int version, Join definition, Instant publishedAt, String publishedBy) {
  /** Registry topic keys of Joins start with this; GroupBy keys are bare names. */
  public static final String KEY_PREFIX = "join:";
  /** The {@code kind} field of the record: what tells a Join apart from a GroupBy on the shared topic. */
  public static final String KIND = "join";

  private static final JsonMapper JSON = PublishedRecords.JSON;

  public PublishedJoin {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(publishedAt, "publishedAt");
    if (version < 1) throw new IllegalArgumentException("version must be >= 1");
    if (!name.equals(definition.name())) throw new IllegalArgumentException("name " + name + " != definition name " + definition.name());
  }

  /** The registry topic key of a Join. */
  public static String topicKey(String name) {
    return KEY_PREFIX + name;
  }

  public ObjectNode toTree() {
    ObjectNode n = PublishedRecords.header(KIND, name, version, publishedAt, publishedBy);
    n.set("definition", JoinWriter.toTree(definition));
    return n;
  }

  public String toJson() {
    return JSON.writeValueAsString(toTree());
  }

  public static PublishedJoin fromJson(String json) {
    return fromTree(JSON.readTree(json));
  }

  /** @throws IllegalArgumentException when the record is not a readable published Join */
  public static PublishedJoin fromTree(JsonNode n) {
    PublishedRecords.requireFields(n, "Join");
    if (n.has("kind") && !KIND.equals(n.get("kind").asString())) {
      throw new IllegalArgumentException("not a published Join: kind is " + n.get("kind").asString());
    }
    JoinParseResult parsed = JoinReader.read(n.get("definition"));
    if (parsed.join() == null || !parsed.problems().isEmpty()) {
      throw new IllegalArgumentException("published Join " + n.get("name").asString() + " does not parse: " + parsed.problems());
    }
    Instant at = PublishedRecords.publishedAt(n);
    String by = PublishedRecords.publishedBy(n);
    return new PublishedJoin(n.get("name").asString(), n.get("version").asInt(), parsed.join(), at, by);
  }
}
