package dev.tessera.registry.publish;

import dev.tessera.registry.system.Gauges;
import dev.tessera.registry.system.RegistryProperties;
import dev.tessera.support.kafka.KafkaClients;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Wires the outbox, the relay and its topic from {@code spring.kafka.*} and {@code tessera.registry.*}. */
@Configuration(proxyBeanMethods = false)
class PublicationConfig {

  @Bean
  OutboxRepository outboxRepository(JdbcClient jdbc) {
    return new OutboxRepository(jdbc);
  }

  @Bean
  RegistryTopic registryTopic(RegistryProperties props, KafkaClients kafka) {
    RegistryProperties.Publication p = props.publication();
    int ms = (int) p.sendTimeout().toMillis();
    Map<String, Object> admin = Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    return new RegistryTopic(props.topic(), () -> kafka.admin(admin), p.topicPartitions(), p.topicReplicationFactor(), p.sendTimeout());
  }

  @Bean
  OutboxRelay outboxRelay(OutboxRepository outbox, RegistryTopic topic, RegistryProperties props, KafkaClients kafka,
      Clock clock, MeterRegistry meters) {
    RegistryProperties.Publication p = props.publication();
    Map<String, Object> config = producerConfig(kafka.producerProperties(Map.of()), p.sendTimeout());
    checkRecordLimit(p.maxRecordBytes().toBytes(), config);
    Supplier<Producer<String, String>> producers = () -> kafka.producer(config, new StringSerializer(), new StringSerializer());
    return new OutboxRelay(outbox, producers, topic, clock,
        new OutboxRelay.Settings(p.batchSize(), p.pollInterval(), p.retryInitial(), p.retryMax(), p.sendTimeout()), meters);
  }

  /**
   * Idempotent, acks=all: a record is acknowledged only when every in-sync replica has it, and
   * producer retries cannot duplicate or reorder. The timeouts keep one attempt within
   * {@code send-timeout}, so that the relay, not the client, decides how long to keep trying.
   */
  static Map<String, Object> producerConfig(Map<String, Object> base, Duration sendTimeout) {
    Map<String, Object> c = new HashMap<>(base);
    int ms = (int) Math.max(2000, sendTimeout.toMillis());
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms / 2);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
    c.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tessera-registry-outbox");
    c.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    return c;
  }

  /** Kafka's own framing of a one-record batch stays far below this. */
  static final int RECORD_OVERHEAD_BYTES = 1024;

  /**
   * A publish is refused above {@code max-record-bytes}; a record below it must fit the producer's
   * request, or every definition near the limit would be accepted and then never sent.
   */
  static void checkRecordLimit(long maxRecordBytes, Map<String, Object> producer) {
    Object configured = producer.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    long maxRequest = configured == null ? 1_048_576L : Long.parseLong(configured.toString());
    if (maxRecordBytes + RECORD_OVERHEAD_BYTES > maxRequest) {
      throw new IllegalStateException("tessera.registry.publication.max-record-bytes (" + maxRecordBytes
          + ") plus " + RECORD_OVERHEAD_BYTES + " bytes of framing must fit the producer's max.request.size (" + maxRequest
          + "): lower it, or raise spring.kafka.producer.properties[max.request.size] (and the topic's max.message.bytes)");
    }
  }

  @Bean
  OutboxAdmin outboxAdmin(OutboxRepository outbox, OutboxRelay relay, Clock clock) {
    return new OutboxAdmin(outbox, relay, clock);
  }

  @Bean
  OutboxHealthIndicator outboxHealthIndicator(OutboxRepository outbox, OutboxRelay relay, RegistryTopic topic, Clock clock,
      RegistryProperties props) {
    return new OutboxHealthIndicator(outbox, relay, topic, clock, props.publication().staleAfter());
  }

  /** Backlog gauges read the table at scrape time, so they are right whichever instance relays. */
  @Bean
  OutboxGauges outboxGauges(OutboxRepository outbox, Clock clock, MeterRegistry meters) {
    Gauge.builder("tessera.registry.outbox.pending", outbox, o -> Gauges.safely(o::pendingCount))
        .description("Committed registry records not yet acknowledged by Kafka").register(meters);
    Gauge.builder("tessera.registry.outbox.oldest.age", outbox,
            o -> Gauges.safely(() -> o.oldestPending().map(t -> Duration.between(t, clock.instant()).toMillis() / 1000.0).orElse(0.0)))
        .description("Seconds the oldest pending registry record has waited").baseUnit("seconds").register(meters);
    Gauge.builder("tessera.registry.outbox.failed", outbox, o -> Gauges.safely(o::failedCount))
        .description("Records Kafka refused for good, waiting for an admin to retry or drop them").register(meters);
    return new OutboxGauges();
  }

  /** Marker bean: the gauges are registered when it is created. */
  static final class OutboxGauges {}

}
