package dev.tessera.stream.deadletter;

import dev.tessera.agg.accept.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One record of a GroupBy's dead-letter topic: the event as it arrived (raw text), where it came
 * from and why it was not applied. JSON, so that people and tools can read and replay it.
 *
 * <pre>{"kind": "late", "reason": "...", "groupBy": "fraud_features", "version": 3,
 *  "sourceTopic": "purchases", "partition": 0, "offset": 42, "key": "u1", "event": "{...}",
 *  "eventTime": 1700000000000, "streamTime": 1700009000000}</pre>
 *
 * {@code key}, {@code eventTime} and {@code streamTime} are present when known; a malformed event's
 * {@code refusal} is the acceptance rule's reason ({@code non-finite}, {@code null-key}, ...: the tag the
 * batch side counts the same event under).
 */
public record DeadLetter(DeadLetterKind kind, String reason, String groupBy, int version, String sourceTopic,
    int partition, long offset, String key, String event, Long eventTime, Long streamTime, Refusal refusal) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public DeadLetter {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(groupBy, "groupBy");
  }

  public DeadLetter(DeadLetterKind kind, String reason, String groupBy, int version, String sourceTopic, int partition, long offset,
      String key, String event, Long eventTime, Long streamTime) {
    this(kind, reason, groupBy, version, sourceTopic, partition, offset, key, event, eventTime, streamTime, null);
  }

  public static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  public ObjectNode toTree() {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", kind.label());
    n.put("reason", reason);
    n.put("groupBy", groupBy);
    n.put("version", version);
    n.put("sourceTopic", sourceTopic);
    n.put("partition", partition);
    n.put("offset", offset);
    if (key != null) n.put("key", key);
    n.put("event", event);
    if (eventTime != null) n.put("eventTime", eventTime);
    if (streamTime != null) n.put("streamTime", streamTime);
    if (refusal != null) n.put("refusal", refusal.tag());
    return n;
  }

  public byte[] toJsonBytes() {
    return JSON.writeValueAsBytes(toTree());
  }
}
