package dev.tessera.support;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.support.kafka.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted registry topic (key = GroupBy name, value = {@link PublishedGroupBy} JSON,
 * null = retired) from its beginning and keeps every live definition, compiled. A service that
 * starts reads the whole topic, so it knows every live GroupBy; {@link #awaitCaughtUp} tells when
 * it has. Records that do not parse or compile are logged, counted and skipped: one bad record
 * never stops the follower. Listeners hear about every change (null = retired).
 *
 * <p>The same topic carries Joins under the keys {@code join:<name>} ({@link PublishedJoin}; a
 * namespace of their own). A service that serves Joins asks for them with {@link #followJoins()}
 * and gets them in a map of their own, not compiled (a Join compiles against the GroupBy versions
 * its parts resolve to, which is the service's business). Any other service skips Join records
 * without parsing them: they are not its bad records.
 *
 * <p>A version being rolled out (DESIGN.md "Version rollout") is announced under
 * {@code rollout:<name>} ({@link PublishedGroupBy#rolloutKey}): the same {@link PublishedGroupBy} JSON, a version
 * above the live one, and a tombstone once it went live or was superseded or cancelled. It is kept
 * apart ({@link #getPending}) and compiled through the same cache, so the switch to live compiles
 * nothing; it is never answered as live. Listeners hear (name, live version) when it appears or goes.
 */
public final class RegistryFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegistryFollower.class);


  /** How long closing the consumer may try to reach the broker (a stop must not wait on one that is gone). */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(1);

  private final String topic;
  private final KafkaClients kafka;
  private final Map<String, String> settings;
  private final CompiledCache compiled = new CompiledCache();
  private final Map<String, LiveGroupBy> live = new ConcurrentHashMap<>();
  private final Map<String, LiveGroupBy> pending = new ConcurrentHashMap<>();
  /** Pending records already logged as stale ("name@version"): a replay of the topic logs each once. */
  private final Set<String> stalePending = ConcurrentHashMap.newKeySet();
  private final List<BiConsumer<String, LiveGroupBy>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, PublishedJoin> joins = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, PublishedJoin>> joinListeners = new CopyOnWriteArrayList<>();
  private volatile boolean followJoins;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final AtomicLong badRecords = new AtomicLong();
  private volatile Consumer<String, String> consumer;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param kafka the service's Kafka clients (connection, security, metrics); the follower sets its
   *     own deserializers, offsets and isolation level on top
   */
  public RegistryFollower(KafkaClients kafka, String topic) {
    this.topic = topic;
    this.kafka = kafka;
    this.settings = Map.of(
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.CLIENT_ID_CONFIG, "tessera-registry-follower");
  }

  /**
   * Called with (name, live version) on every change; the live version is null when retired (or
   * when a pending version changes while there is no live one). Also called when the pending
   * version appears or goes, with the live version as it is.
   */
  public void addListener(BiConsumer<String, LiveGroupBy> listener) {
    listeners.add(listener);
  }

  /** Keeps the Joins of the topic too ({@link #getJoin}); call before {@link #start}. */
  public RegistryFollower followJoins() {
    followJoins = true;
    return this;
  }

  /** Called with (name, published version) on every change of a Join; the version is null when retired. */
  public void addJoinListener(BiConsumer<String, PublishedJoin> listener) {
    joinListeners.add(listener);
  }

  public synchronized void start() {
    if (running) return;
    running = true;
    thread = Thread.ofPlatform().daemon().name("registry-follower").start(this::run);
  }

  /** True once everything on the topic when the follower started has been read. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isCaughtUp() {
    return caughtUp.getCount() == 0;
  }

  public Optional<LiveGroupBy> get(String name) {
    return Optional.ofNullable(live.get(name));
  }

  public Map<String, LiveGroupBy> all() {
    return Map.copyOf(live);
  }

  /**
   * The version of GroupBy {@code name} being rolled out: empty when none is, or when the live
   * version has reached it (the registry switched it live; the tombstone of its rollout key may be
   * on another partition, still to be read).
   */
  public Optional<LiveGroupBy> getPending(String name) {
    LiveGroupBy p = pending.get(name);
    LiveGroupBy l = live.get(name);
    return p == null || (l != null && l.version() >= p.version()) ? Optional.empty() : Optional.of(p);
  }

  /** The live version of a Join; always empty unless {@link #followJoins()} was called. */
  public Optional<PublishedJoin> getJoin(String name) {
    return Optional.ofNullable(joins.get(name));
  }

  public Map<String, PublishedJoin> allJoins() {
    return Map.copyOf(joins);
  }

  public String topic() {
    return topic;
  }

  /** The compiled versions this follower keeps; a {@link Definitions} over it shares them. */
  CompiledCache compiledCache() {
    return compiled;
  }

  /** Records that could not be read or compiled since start. */
  public long badRecords() {
    return badRecords.get();
  }

  private void run() {
    while (running) {
      try {
        Consumer<String, String> c = kafka.consumer(settings);
        consumer = c;
        try {
          List<TopicPartition> partitions = waitForPartitions(c);
          if (partitions == null) return;
          c.assign(partitions);
          c.seekToBeginning(partitions);
          Map<TopicPartition, Long> end = c.endOffsets(partitions);
          while (running) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
              apply(r);
            }
            if (!isCaughtUp() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
              caughtUp.countDown();
              log.info("registry follower caught up on {}: {} live GroupBys{}", topic, live.size(),
                  followJoins ? ", " + joins.size() + " live Joins" : "");
            }
          }
        } finally {
          // bounded: a plain close tries for 30 s to end its fetch sessions with a broker that may be gone
          c.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) return;
        log.warn("registry follower on {} failed, retrying in 2 s: {}", topic, e.toString());
        sleep(2000);
      }
    }
  }

  private List<TopicPartition> waitForPartitions(Consumer<String, String> c) {
    while (running) {
      var infos = c.partitionsFor(topic, Duration.ofSeconds(5));
      if (infos != null && !infos.isEmpty()) {
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      }
      // no topic yet: nothing is published, so there is nothing to catch up on
      caughtUp.countDown();
      sleep(1000);
    }
    return null;
  }

  void apply(ConsumerRecord<String, String> r) {
    String name = r.key();
    if (name == null) {
      bad(r, "record without a key");
      return;
    }
    if (name.startsWith(PublishedJoin.KEY_PREFIX)) {
      if (followJoins) applyJoin(r, name.substring(PublishedJoin.KEY_PREFIX.length()));
      return;
    }
    if (name.startsWith(PublishedGroupBy.ROLLOUT_KEY_PREFIX)) {
      applyPending(r, name.substring(PublishedGroupBy.ROLLOUT_KEY_PREFIX.length()));
      return;
    }
    if (r.value() == null) {
      if (live.remove(name) != null) {
        log.info("GroupBy {} retired", name);
        listeners.forEach(l -> l.accept(name, null));
      }
      return;
    }
    LiveGroupBy next = compiled(r, name);
    if (next == null) return;
    LiveGroupBy previous = live.put(name, next);
    if (previous == null || previous.version() != next.version()) {
      log.info("GroupBy {} version {} is live", name, next.version());
    }
    // the rollout reached its end: its pending version is live now (getPending hides it until the tombstone)
    pending.computeIfPresent(name, (n, p) -> p.version() <= next.version() ? null : p);
    listeners.forEach(l -> l.accept(name, next));
  }

  private void applyPending(ConsumerRecord<String, String> r, String name) {
    if (r.value() == null) {
      if (pending.remove(name) != null) {
        log.info("GroupBy {} has no pending version any more", name);
        listeners.forEach(l -> l.accept(name, live.get(name)));
      }
      return;
    }
    LiveGroupBy next = compiled(r, name);
    if (next == null) return;
    LiveGroupBy current = live.get(name);
    if (current != null && next.version() <= current.version()) {
      // Normal while a rollout ends: the live record and the rollout tombstone may sit on different partitions.
      if (stalePending.add(name + "@" + next.version())) {
        log.info("ignoring pending version {} of GroupBy {}: version {} is live", next.version(), name, current.version());
      }
      pending.remove(name);
      return;
    }
    LiveGroupBy previous = pending.put(name, next);
    if (previous == null || previous.version() != next.version()) {
      log.info("GroupBy {} version {} is pending (being rolled out)", name, next.version());
    }
    listeners.forEach(l -> l.accept(name, current));
  }

  /** The record's GroupBy, compiled; null (and counted as a bad record) when it does not parse, compile or match its key. */
  private LiveGroupBy compiled(ConsumerRecord<String, String> r, String name) {
    try {
      PublishedGroupBy p = PublishedGroupBy.fromJson(r.value());
      if (!p.name().equals(name)) {
        bad(r, "the record is GroupBy '" + p.name() + "', not '" + name + "' as its key says");
        return null;
      }
      CompileResult result = compiled.compile(p);
      if (!result.ok()) {
        bad(r, "does not compile: " + result.problems());
        return null;
      }
      return new LiveGroupBy(p, result.compiled());
    } catch (RuntimeException e) {
      bad(r, e.getMessage());
      return null;
    }
  }

  private void applyJoin(ConsumerRecord<String, String> r, String name) {
    if (r.value() == null) {
      if (joins.remove(name) != null) {
        log.info("Join {} retired", name);
        joinListeners.forEach(l -> l.accept(name, null));
      }
      return;
    }
    try {
      PublishedJoin next = PublishedJoin.fromJson(r.value());
      if (!next.name().equals(name)) {
        bad(r, "the record is Join '" + next.name() + "', not '" + name + "' as its key says");
        return;
      }
      PublishedJoin previous = joins.put(name, next);
      if (previous == null || previous.version() != next.version()) log.info("Join {} version {} is live", name, next.version());
      joinListeners.forEach(l -> l.accept(name, next));
    } catch (RuntimeException e) {
      bad(r, e.getMessage());
    }
  }

  private void bad(ConsumerRecord<String, String> r, String why) {
    badRecords.incrementAndGet();
    log.warn("skipping registry record at {}-{}@{} (key {}): {}", r.topic(), r.partition(), r.offset(), r.key(), why);
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    Consumer<String, String> c = consumer;
    if (c != null) c.wakeup();
    if (thread != null) {
      thread.interrupt(); // ends a retry's back-off sleep, which wakeup does not reach (a stop with the broker gone)
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
