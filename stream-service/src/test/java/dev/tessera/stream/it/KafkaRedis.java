package dev.tessera.stream.it;

import dev.tessera.support.Topics;
import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The integration tests' real infrastructure: an in-process KRaft broker and the Redis server on
 * 127.0.0.1:6379 (CI starts it). Tests use their own GroupBy names and delete only their own keys.
 */
public final class KafkaRedis implements AutoCloseable {
  public static final String REDIS_URI = "redis://127.0.0.1:6379";

  public final EmbeddedKafkaKraftBroker broker;
  public final RedisProbe redis = new RedisProbe();

  public KafkaRedis() {
    broker = new EmbeddedKafkaKraftBroker(1, 1);
    broker.brokerProperties(Map.of(
        "transaction.state.log.replication.factor", "1",
        "transaction.state.log.min.isr", "1",
        "group.min.session.timeout.ms", "2000",
        // events carry their event times, often months or years old: time retention would delete them
        "log.retention.ms", "-1"));
    broker.afterPropertiesSet();
  }

  public String bootstrap() {
    return broker.getBrokersAsString();
  }

  public void createTopic(String topic, int partitions) {
    Topics.ensure(KafkaClients.plaintext(bootstrap()), topic, partitions);
  }

  public KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** Sends (key, value) pairs in order and waits for all of them. */
  public void produce(String topic, List<Map.Entry<String, String>> records) {
    try (KafkaProducer<String, String> p = producer()) {
      for (var r : records) p.send(new ProducerRecord<>(topic, r.getKey(), r.getValue()));
      p.flush();
    }
  }

  /** Every committed record of a topic, read from the beginning until {@code expected} arrived or the timeout. */
  public List<ConsumerRecord<String, String>> readAll(String topic, int expected, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      c.poll(Duration.ofMillis(300)).forEach(out::add); // nothing more than expected
    }
    return out;
  }

  public Map<String, Map<String, byte[]>> hashes(String pattern) {
    return redis.hashes(pattern);
  }

  public void deleteKeys(String pattern) {
    redis.deleteKeys(pattern);
  }

  public Long ttl(String key) {
    return redis.ttl(key);
  }

  /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes. */
  public static boolean eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) return true;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Override
  public void close() {
    redis.close();
    broker.destroy();
  }
}
