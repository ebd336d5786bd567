package dev.tessera.fetcher.logging;

import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends feature log records as JSON to a Kafka topic, keyed by GroupBy name ({@code join:<name>} for a Join). The producer is made
 * on the first record, so a service with the log off never talks to Kafka.
 */
public final class KafkaFeatureLogSink implements FeatureLogSink {
  private final String topic;
  private final KafkaClients kafka;
  private final Map<String, Object> config;
  private final JsonMapper json;
  private Producer<String, byte[]> producer;

  /** @param kafka the service's clients ({@code spring.kafka.*}: connection, security, producer settings) */
  public KafkaFeatureLogSink(String topic, KafkaClients kafka, JsonMapper json) {
    this.topic = topic;
    this.json = json;
    this.kafka = kafka;
    Map<String, Object> c = kafka.producerProperties(Map.of());
    // defaults that suit a log (each can be overridden with spring.kafka.producer.properties.*):
    c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
    c.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
    c.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tessera-fetcher-feature-log");
    this.config = c;
  }

  @Override
  public void send(FeatureLogEntry record, Callback callback) {
    if (producer == null) producer = kafka.producer(config, new StringSerializer(), new ByteArraySerializer());
    byte[] value = json.writeValueAsBytes(record.toJsonTree());
    producer.send(new ProducerRecord<>(topic, record.topicKey(), value), (metadata, e) -> {
      if (e == null) callback.sent();
      else callback.failed(e);
    });
  }

  @Override
  public void close() {
    if (producer != null) producer.close(Duration.ofSeconds(5));
  }
}
