package dev.tessera.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Every Kafka client of a service, made from one set of settings: the connection (bootstrap
 * servers, security protocol, SASL, TLS) is the same for all of them, so a secured cluster needs
 * no per-client setting and no client can be left with only the broker address. In the services
 * the settings are Spring Boot's {@code spring.kafka.*} ({@link KafkaClientsAutoConfiguration});
 * tests and the local stack on an open broker use {@link #plaintext}.
 *
 * <p>With a {@link MeterRegistry}, every consumer, producer and admin client made here has its
 * Kafka metrics bound to Micrometer ({@code kafka_consumer_*}, {@code kafka_producer_*},
 * {@code kafka_admin_client_*}, tagged {@code client.id}) for as long as it is open.
 */
public final class KafkaClients {
  private final Map<String, Object> consumer;
  private final Map<String, Object> producer;
  private final Map<String, Object> admin;
  private final Map<String, Object> streams;
  private final MeterRegistry meters;
  private final Tags tags;

  /**
   * @param consumer, producer, admin, streams the settings of each kind of client, connection included
   * @param meters where the clients' metrics go; null for none
   */
  public KafkaClients(Map<String, Object> consumer, Map<String, Object> producer, Map<String, Object> admin,
      Map<String, Object> streams, MeterRegistry meters) {
    this(consumer, producer, admin, streams, meters, Tags.empty());
  }

  private KafkaClients(Map<String, Object> consumer, Map<String, Object> producer, Map<String, Object> admin,
      Map<String, Object> streams, MeterRegistry meters, Tags tags) {
    this.consumer = Map.copyOf(consumer);
    this.producer = Map.copyOf(producer);
    this.admin = Map.copyOf(admin);
    this.streams = Map.copyOf(streams);
    this.meters = meters;
    this.tags = tags;
  }

  /** Clients of a broker with an open listener: only its address, no metrics (tests, the local stack's tools). */
  public static KafkaClients plaintext(String bootstrapServers) {
    Map<String, Object> address = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return new KafkaClients(address, address, address, address, null);
  }

  /**
   * The same clients with {@code extra} tags on their meters. Micrometer keeps one set of tag keys
   * per meter name: a service whose Kafka Streams metrics carry more tags gives its plain clients
   * the same keys, else one of the two sets of {@code kafka_consumer_*} meters is dropped.
   */
  public KafkaClients withTags(Tags extra) {
    return new KafkaClients(consumer, producer, admin, streams, meters, tags.and(extra));
  }

  /** Consumer settings with {@code overrides} on top: for a client made elsewhere (Kafka Streams' own are in {@link #streamsProperties}). */
  public Map<String, Object> consumerProperties(Map<String, ?> overrides) {
    return merged(consumer, overrides);
  }

  public Map<String, Object> producerProperties(Map<String, ?> overrides) {
    return merged(producer, overrides);
  }

  public Map<String, Object> adminProperties(Map<String, ?> overrides) {
    return merged(admin, overrides);
  }

  /** Kafka Streams settings ({@code spring.kafka.streams.*} and the connection), for its own consumers, producers and admin client. */
  public Map<String, Object> streamsProperties() {
    return new HashMap<>(streams);
  }

  /** A consumer with these settings on top of the service's; its metrics are bound until it is closed. */
  public <K, V> Consumer<K, V> consumer(Map<String, ?> overrides) {
    return consumer(overrides, null, null);
  }

  /** As {@link #consumer(Map)}, with deserializer instances (null: the ones the settings name). */
  @SuppressWarnings("unchecked")
  public <K, V> Consumer<K, V> consumer(Map<String, ?> overrides, Deserializer<K> keys, Deserializer<V> values) {
    KafkaConsumer<K, V> client = new KafkaConsumer<>(consumerProperties(overrides), keys, values);
    return meters == null ? client : metered(Consumer.class, client, new KafkaClientMetrics(client, tags));
  }

  /** A producer with these settings on top of the service's; its metrics are bound until it is closed. */
  @SuppressWarnings("unchecked")
  public <K, V> Producer<K, V> producer(Map<String, ?> overrides, Serializer<K> keys, Serializer<V> values) {
    KafkaProducer<K, V> client = new KafkaProducer<>(producerProperties(overrides), keys, values);
    return meters == null ? client : metered(Producer.class, client, new KafkaClientMetrics(client, tags));
  }

  /** An admin client with these settings on top of the service's; its metrics are bound until it is closed. */
  public Admin admin(Map<String, ?> overrides) {
    AdminClient client = AdminClient.create(adminProperties(overrides));
    return meters == null ? client : metered(Admin.class, client, new KafkaClientMetrics(client, tags));
  }

  /**
   * The client, with its meters bound until it is closed. Micrometer refreshes each client's meters
   * on a thread of their own, stopped at close (a shared scheduler would keep refreshing closed
   * clients: Micrometer does not cancel them). Kafka's clients cannot all be subclassed (the admin
   * client's constructor is private): a proxy of the interface unbinds at close, whichever close it is.
   */
  private <T> T metered(Class<T> type, T client, KafkaClientMetrics metrics) {
    metrics.bindTo(meters);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      try {
        return method.invoke(client, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      } finally {
        if (method.getName().equals("close")) metrics.close();
      }
    }));
  }

  private static Map<String, Object> merged(Map<String, Object> base, Map<String, ?> overrides) {
    Map<String, Object> m = new HashMap<>(base);
    m.putAll(overrides);
    return m;
  }
}
