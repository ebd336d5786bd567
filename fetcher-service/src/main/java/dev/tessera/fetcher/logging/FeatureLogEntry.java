package dev.tessera.fetcher.logging;

import java.util.Map;

/**
 * A record of the feature log (README "Feature log"): a served GroupBy result or a served Join
 * row, on the same topic, told apart by the field {@code kind} ({@code "groupby"} or
 * {@code "join"}).
 */
public sealed interface FeatureLogEntry permits FeatureLogRecord, JoinLogRecord {

  /** The Kafka record key: the GroupBy's name, or {@code join:<name>} for a Join (as on the registry topic). */
  String topicKey();

  String requestId();

  /** The documented JSON shape, fields in order. */
  Map<String, Object> toJsonTree();
}
