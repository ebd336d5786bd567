package dev.tessera.stream.bench;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.stream.it.Fixtures;
import dev.tessera.stream.it.JobRunner;
import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.stream.sink.RedisTileWriterFactory;
import dev.tessera.stream.topology.JobStreamsConfig;
import dev.tessera.stream.topology.SkipAndDeadLetter;
import dev.tessera.stream.topology.TileTopology;
import dev.tessera.stream.topology.TopologySettings;
import dev.tessera.support.LiveGroupBy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The "Speed" benchmark: events/s from Kafka to tiles in Redis, and freshness (produce ->
 * tile readable in Redis) under load, for a GroupBy with 3 windows x 3 operations (SUM, COUNT, AVG
 * over 1h, 24h, 7d) and 100k keys. Real Kafka (an in-process KRaft broker unless --bootstrap is
 * given), real Redis, the production topology with exactly-once.
 *
 * <pre>./mvnw -q -pl stream-service -am -Pbench -DskipTests verify -Dbench.args="--events=2000000"</pre>
 *
 * Phase 1 (throughput): N events are produced first, then the job drains them; the sustained rate is
 * the median of the per-second apply rates between 10% and 90% of the backlog. Phase 2 (freshness):
 * events at a fixed rate for a while, with probe events of fresh keys; a probe's freshness is the
 * time from just before its send to its tile hash existing in Redis.
 */
public final class StreamBenchmark {
  private final Map<String, String> opts;

  private StreamBenchmark(Map<String, String> opts) {
    this.opts = opts;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (String a : args) {
      if (!a.startsWith("--") || !a.contains("=")) throw new IllegalArgumentException("options are --name=value, got " + a);
      opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    new StreamBenchmark(opts).run();
    System.exit(0);
  }

  private String opt(String name, String dflt) {
    return opts.getOrDefault(name, dflt);
  }

  private long num(String name, long dflt) {
    return Long.parseLong(opt(name, Long.toString(dflt)).replace("_", ""));
  }

  void run() throws Exception {
    long events = num("events", 2_000_000);
    int keys = (int) num("keys", 100_000);
    int partitions = (int) num("partitions", 4);
    int threads = (int) num("threads", 2);
    long rate = num("rate", 50_000);
    long steadySeconds = num("steady-seconds", 30);
    long probesPerSecond = num("probes", 20);
    Duration flush = Duration.ofMillis(num("flush-interval-ms", 100));
    TopologySettings.StoreKind stores = TopologySettings.StoreKind.valueOf(opt("stores", "rocksdb").toUpperCase(Locale.ROOT).replace('-', '_'));
    String redisUri = opt("redis", "redis://127.0.0.1:6379");
    TopologySettings.Partitioning partitioning = TopologySettings.Partitioning.valueOf(opt("partitioning", "repartition").toUpperCase(Locale.ROOT));
    // The service's defaults (StreamProperties): with source partitioning the commit is not on the freshness path.
    Duration commit = Duration.ofMillis(num("commit-interval-ms", partitioning == TopologySettings.Partitioning.SOURCE ? 1000 : 100));

    EmbeddedKafkaKraftBroker broker = null;
    String bootstrap = opts.get("bootstrap");
    if (bootstrap == null) {
      broker = new EmbeddedKafkaKraftBroker(1, partitions);
      broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1"));
      broker.afterPropertiesSet();
      bootstrap = broker.getBrokersAsString();
    }
    String name = "bench_" + UUID.randomUUID().toString().substring(0, 8);
    String topic = name + ".events";
    LiveGroupBy live = Fixtures.live(Fixtures.purchases(name, topic, Duration.ofHours(1)), 1);
    TopologySettings settings = TopologySettings.defaults("tessera.deadletter." + name).withFlushInterval(flush).withStores(stores)
        .withPartitioning(partitioning);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1), new NewTopic(settings.deadLetterTopic(), 1, (short) 1)))
          .all().get();
    }
    System.out.printf("stream benchmark: %,d events, %,d keys, %d partitions, %s partitioning, %d stream threads, %s stores, commit %d ms, flush %d ms, %s, %d cores%n",
        events, keys, partitions, partitioning, threads, stores, commit.toMillis(), flush.toMillis(),
        broker == null ? "Kafka " + bootstrap : "in-process broker", Runtime.getRuntime().availableProcessors());
    System.out.println("GroupBy: " + live.compiled().features().stream().map(f -> f.name()).toList());

    // Phase 1: backlog, then drain it.
    long t0 = System.nanoTime();
    long newestTs;
    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
      newestTs = produce(producer, topic, events, keys, new SplittableRandom(1), 0, null);
      producer.flush();
    }
    double produceSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("produced %,d events in %.1f s (%,.0f events/s)%n", events, produceSeconds, events / produceSeconds);

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    JobMetrics metrics = new JobMetrics(registry, Clock.systemUTC(), name, 1);
    RedisTileWriterFactory writers = new RedisTileWriterFactory(RedisURI.create(redisUri), Duration.ofSeconds(10));
    Properties props = JobStreamsConfig.of(Map.of("bootstrap.servers", bootstrap), "tessera-stream-" + name + "-v1",
        Path.of("target", "bench-state", name), threads, commit, num("cache-mb", 10) * 1024 * 1024,
        new SkipAndDeadLetter.Job(name, 1, settings.deadLetterTopic(), metrics));
    KafkaStreams streams = new KafkaStreams(TileTopology.build(live, settings, writers, metrics, JobRunner.sourcePartitions(bootstrap, live, settings)), props);
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long started = System.nanoTime();
    streams.start();
    List<long[]> samples = new ArrayList<>(); // {nanos, applied}
    while (metrics.snapshot().applied() < events || !Long.valueOf(newestTs).equals(metrics.newestEventTime())) {
      samples.add(new long[] {System.nanoTime(), metrics.snapshot().applied()});
      if (System.nanoTime() - started > Duration.ofMinutes(30).toNanos()) throw new IllegalStateException("did not finish in 30 minutes");
      Thread.sleep(250);
    }
    long done = System.nanoTime();
    double cpuSeconds = (os.getProcessCpuTime() - cpuBefore) / 1e9;
    samples.add(new long[] {done, events});
    long firstApplied = samples.stream().filter(s -> s[1] > 0).mapToLong(s -> s[0]).findFirst().orElse(started);
    List<Double> perSecond = new ArrayList<>();
    for (int i = 0, j = 0; i < samples.size(); i++) {
      while (j < samples.size() && samples.get(j)[0] - samples.get(i)[0] < 1_000_000_000L) j++;
      if (j >= samples.size()) break;
      long applied = samples.get(i)[1];
      if (applied < events / 10 || samples.get(j)[1] > events * 9 / 10) continue;
      perSecond.add((samples.get(j)[1] - applied) * 1e9 / (samples.get(j)[0] - samples.get(i)[0]));
    }
    Collections.sort(perSecond);
    double sustained = perSecond.isEmpty() ? Double.NaN : perSecond.get(perSecond.size() / 2);
    var counts = metrics.snapshot();
    System.out.printf("throughput: %,d events into %,d tile writes; %.1f s from start (%.1f s to the first event): "
            + "%,.0f events/s overall, %,.0f events/s sustained (median 1 s rate, 10%%-90%% of the backlog)%n",
        events, counts.tilesWritten(), (done - started) / 1e9, (firstApplied - started) / 1e9,
        events * 1e9 / (done - firstApplied), sustained);
    System.out.printf("CPU: this process (job + in-process broker, not Redis) used %.1f CPU-seconds: %,.0f events per CPU-second; "
        + "the machine's load average was %.1f on %d cores%n", cpuSeconds, events / cpuSeconds, os.getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    var timer = registry.get(JobMetrics.PREFIX + "tiles.write.latency").timer();
    System.out.printf("Redis flushes: %,d, mean %.1f ms, max %.1f ms%n", timer.count(), timer.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
        timer.max(java.util.concurrent.TimeUnit.MILLISECONDS));

    // Phase 2: steady load with probes.
    List<Long> freshness = new ArrayList<>();
    if (steadySeconds > 0) {
      freshness = steady(bootstrap, topic, name, keys, rate, steadySeconds, probesPerSecond, metrics, redisUri);
      Collections.sort(freshness);
      if (freshness.isEmpty()) {
        System.out.println("freshness: no probe reached Redis");
      } else {
        System.out.printf("freshness at %,d events/s offered (%,.0f applied/s): %d probes, p50 %d ms, p99 %d ms, max %d ms%n", rate,
            lastSteadyRate, freshness.size(), freshness.get(freshness.size() / 2),
            freshness.get(Math.min(freshness.size() - 1, (int) Math.ceil(freshness.size() * 0.99) - 1)), freshness.getLast());
      }
    }
    streams.close(Duration.ofSeconds(30));
    writers.close();
    if (!opts.containsKey("keep")) deleteKeys(redisUri, RedisKeys.versionPattern(name, 1));
    if (broker != null) broker.destroy();
  }

  private double lastSteadyRate;

  private List<Long> steady(String bootstrap, String topic, String name, int keys, long rate, long seconds, long probesPerSecond,
      JobMetrics metrics, String redisUri) throws Exception {
    ConcurrentLinkedQueue<long[]> sent = new ConcurrentLinkedQueue<>(); // {probe id, nanos before send}
    List<Long> out = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean producing = new AtomicBoolean(true);
    RedisClient client = RedisClient.create(redisUri);
    StatefulRedisConnection<String, String> redis = client.connect();
    Thread prober = Thread.ofPlatform().name("freshness-prober").start(() -> {
      List<long[]> waiting = new ArrayList<>();
      while (producing.get() || !waiting.isEmpty() || !sent.isEmpty()) {
        for (long[] p; (p = sent.poll()) != null; ) waiting.add(p);
        long now = System.nanoTime();
        waiting.removeIf(p -> {
          String key = RedisKeys.tilesKey(name, 1, List.of("probe-" + p[0]));
          if (redis.sync().exists(key) > 0) {
            out.add((System.nanoTime() - p[1]) / 1_000_000);
            return true;
          }
          return now - p[1] > 30_000_000_000L; // lost: not counted, reported by the probe count
        });
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    long appliedBefore = metrics.snapshot().applied();
    long start = System.nanoTime();
    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
      long total = rate * seconds;
      produce(producer, topic, total, keys, new SplittableRandom(2), rate, new Probes(probesPerSecond, sent, producer, topic));
      producer.flush();
    }
    producing.set(false);
    double elapsed = (System.nanoTime() - start) / 1e9;
    lastSteadyRate = (metrics.snapshot().applied() - appliedBefore) / elapsed;
    prober.join(Duration.ofSeconds(40));
    redis.close();
    client.shutdown();
    return new ArrayList<>(out);
  }

  /** Sends one probe event (a fresh key) every 1/rate seconds from inside the producing loop. */
  private static final class Probes {
    final long intervalNanos;
    final ConcurrentLinkedQueue<long[]> sent;
    final KafkaProducer<String, String> producer;
    final String topic;
    long next = System.nanoTime();
    long id;

    Probes(long perSecond, ConcurrentLinkedQueue<long[]> sent, KafkaProducer<String, String> producer, String topic) {
      this.intervalNanos = 1_000_000_000L / Math.max(1, perSecond);
      this.sent = sent;
      this.producer = producer;
      this.topic = topic;
    }

    void maybeSend(long now) {
      if (now < next) return;
      next = now + intervalNanos;
      String key = "probe-" + (++id);
      long t = System.nanoTime();
      producer.send(new ProducerRecord<>(topic, key, json(key, 1.0, System.currentTimeMillis())));
      sent.add(new long[] {id, t});
    }
  }

  /** Produces {@code n} events over {@code keys} keys, at {@code rate} per second (0 = as fast as possible). Returns the newest ts. */
  private static long produce(KafkaProducer<String, String> producer, String topic, long n, int keys, SplittableRandom random,
      long rate, Probes probes) throws InterruptedException {
    long start = System.nanoTime();
    long ts = 0;
    for (long i = 0; i < n; i++) {
      if (rate > 0 && (i & 255) == 0) {
        long due = start + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      if (probes != null) probes.maybeSend(System.nanoTime());
      String user = "u" + random.nextInt(keys);
      ts = System.currentTimeMillis();
      producer.send(new ProducerRecord<>(topic, user, json(user, Math.round(random.nextDouble() * 50_000) / 100.0, ts)));
    }
    return ts;
  }

  private static String json(String user, double amount, long ts) {
    return "{\"user_id\":\"" + user + "\",\"merchant\":\"m" + (ts % 17) + "\",\"amount\":" + amount
        + ",\"qty\":1,\"currency\":\"USD\",\"ts\":" + ts + "}";
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static void deleteKeys(String redisUri, String pattern) {
    RedisClient client = RedisClient.create(redisUri);
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        var page = c.sync().scan(cursor, ScanArgs.Builder.matches(pattern).limit(5000));
        if (!page.getKeys().isEmpty()) c.sync().unlink(page.getKeys().toArray(String[]::new));
        cursor = page;
      } while (!cursor.isFinished());
    } finally {
      client.shutdown();
    }
  }
}
