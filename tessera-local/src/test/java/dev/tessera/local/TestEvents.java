package dev.tessera.local;

import dev.tessera.agg.testkit.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Events as the end-to-end tests send them: JSON objects with an epoch-ms {@code ts}, keyed by {@code user_id}. */
final class TestEvents {
  private TestEvents() {}

  static long ts(Map<String, Object> e) {
    return (Long) e.get("ts");
  }

  /** A time for failure messages. */
  static String at(long t) {
    return Instant.ofEpochMilli(t).toString();
  }

  /** Sends the events to {@code topic} in list order, keyed by user_id, and waits until they are written. */
  static void send(KafkaProducer<String, String> producer, String topic, List<Map<String, Object>> events) {
    for (Map<String, Object> e : events) {
      producer.send(new ProducerRecord<>(topic, (String) e.get("user_id"), Json.MAPPER.writeValueAsString(e)));
    }
    producer.flush();
  }
}
