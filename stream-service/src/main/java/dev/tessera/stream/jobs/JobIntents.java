package dev.tessera.stream.jobs;

import dev.tessera.support.kafka.KafkaClients;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What users asked for through the API, on a compacted topic (key = GroupBy name, value =
 * {@code {"groupBy", "desired": "RUNNING"|"STOPPED", "requestedAt"}}): a job started through the API
 * comes back when the service restarts, and every instance of the service runs the jobs asked of
 * any one of them (they then share the partitions). Without a record, {@code auto-start} decides.
 */
public final class JobIntents implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobIntents.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public enum Desired { RUNNING, STOPPED }

  public record Intent(String groupBy, Desired desired, Instant requestedAt) {
    String toJson() {
      return JSON.writeValueAsString(Map.of("groupBy", groupBy, "desired", desired.name(), "requestedAt", requestedAt.toString()));
    }

    static Intent fromJson(String json) {
      JsonNode n = JSON.readTree(json);
      return new Intent(n.get("groupBy").asString(), Desired.valueOf(n.get("desired").asString()),
          Instant.parse(n.get("requestedAt").asString()));
    }
  }

  private final String topic;
  private final KafkaClients kafka;
  private final Map<String, Object> consumerSettings;
  private final Producer<String, String> producer;
  private final KafkaTopics topics;
  private final Clock clock;
  private final Duration timeout;
  private final ServiceStop stop;
  private final Map<String, Intent> intents = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean caughtUp;
  private volatile boolean running;
  private volatile org.apache.kafka.clients.consumer.Consumer<String, String> consumer;
  private Thread thread;

  public JobIntents(String topic, KafkaClients kafka, KafkaTopics topics, Clock clock, Duration timeout, ServiceStop stop) {
    this.topic = topic;
    this.stop = stop;
    this.kafka = kafka;
    this.topics = topics;
    this.clock = clock;
    this.timeout = timeout;
    this.producer = kafka.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis()), new StringSerializer(), new StringSerializer());
    Map<String, Object> c = kafka.consumerProperties(Map.of());
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "tessera-stream-jobs-follower");
    this.consumerSettings = c;
  }

  /** Called with the GroupBy name whenever its record changes. */
  public void addListener(Consumer<String> listener) {
    listeners.add(listener);
  }

  public synchronized void start() {
    if (running) return;
    running = true;
    thread = Thread.ofPlatform().daemon().name("stream-jobs-follower").start(this::run);
  }

  public boolean isCaughtUp() {
    return caughtUp;
  }

  public Optional<Intent> get(String groupBy) {
    return Optional.ofNullable(intents.get(groupBy));
  }

  /**
   * Records the request (durably, on the topic) and applies it here at once. With the broker gone the
   * producer blocks in {@code send} for its metadata, so the send runs on a thread of its own and this
   * waits through {@link ServiceStop}: a stop that begins meanwhile is not held for the whole timeout.
   */
  public void request(String groupBy, Desired desired) {
    Intent intent = new Intent(groupBy, desired, clock.instant());
    CompletableFuture<RecordMetadata> recorded = new CompletableFuture<>();
    Thread.ofVirtual().name("stream-jobs-record").start(() -> {
      try {
        producer.send(new ProducerRecord<>(topic, groupBy, intent.toJson()), (metadata, failure) -> {
          if (failure == null) recorded.complete(metadata);
          else recorded.completeExceptionally(failure);
        });
      } catch (RuntimeException e) {
        recorded.completeExceptionally(e);
      }
    });
    try {
      stop.await(recorded, timeout);
    } catch (ExecutionException e) {
      throw new KafkaUnavailableException("cannot record the job request on " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException("Kafka did not record the job request on " + topic + " within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException("interrupted", e);
    }
    apply(groupBy, intent);
  }

  private void apply(String groupBy, Intent intent) {
    Intent before = intent == null ? intents.remove(groupBy) : intents.put(groupBy, intent);
    if (!java.util.Objects.equals(before, intent)) listeners.forEach(l -> l.accept(groupBy));
  }

  private void run() {
    while (running) {
      try {
        topics.ensure(topic, 1, Map.of("cleanup.policy", "compact"));
        org.apache.kafka.clients.consumer.Consumer<String, String> c = kafka.consumer(consumerSettings);
        consumer = c;
        try {
          List<TopicPartition> partitions = c.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
          c.assign(partitions);
          c.seekToBeginning(partitions);
          Map<TopicPartition, Long> end = c.endOffsets(partitions);
          while (running) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) read(r);
            if (!caughtUp && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
              caughtUp = true;
              log.info("job records on {} read: {} GroupBys with a request", topic, intents.size());
              listeners.forEach(l -> l.accept(null));
            }
          }
        } finally {
          // bounded: a plain close tries for 30 s to end its fetch sessions with a broker that may be gone
          c.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        }
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) return;
        log.warn("cannot follow the job records on {}, retrying in 2 s: {}", topic, e.toString());
        try {
          Thread.sleep(2000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private void read(ConsumerRecord<String, String> r) {
    if (r.key() == null) return;
    try {
      apply(r.key(), r.value() == null ? null : Intent.fromJson(r.value()));
    } catch (RuntimeException e) {
      log.warn("skipping unreadable job record {}@{} (key {}): {}", r.partition(), r.offset(), r.key(), e.toString());
    }
  }

  @Override
  public void close() {
    running = false;
    org.apache.kafka.clients.consumer.Consumer<String, String> c = consumer;
    if (c != null) c.wakeup();
    if (thread != null) {
      thread.interrupt(); // ends a retry's back-off sleep and an admin call, which wakeup does not reach
      try {
        thread.join(2000); // bounded: a stop must not wait on a broker that is gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // Zero: every request has been answered by now (the web server drained first), so a record still
    // pending belongs to a request answered 503, which must not take effect later.
    producer.close(Duration.ZERO);
  }
}
