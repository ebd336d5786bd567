package dev.tessera.local.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Purchases to the source topic as JSON, keyed by user: first a catch-up (the day so far, at the
 * history's rhythm, in time order so that nothing is late for the stream), then live purchases at a
 * few per second, a share of them by a handful of "featured" users so that their features visibly
 * move between two fetches.
 */
public final class LiveTraffic implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String topic;
  private final PurchaseGenerator generator;
  private final KafkaProducer<String, String> producer;
  private final SplittableRandom random = new SplittableRandom();
  private volatile boolean running = true;
  private Thread thread;
  private final java.util.concurrent.atomic.AtomicLong produced = new java.util.concurrent.atomic.AtomicLong();

  public LiveTraffic(String bootstrapServers, String topic, PurchaseGenerator generator) {
    this.topic = topic;
    this.generator = generator;
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.CLIENT_ID_CONFIG, "tessera-demo-purchases"),
        new StringSerializer(), new StringSerializer());
  }

  /** Sends the purchases of {@code [from, to)} at the history's rhythm, oldest first; returns how many. */
  public long catchUp(long from, long to) {
    List<PurchaseGenerator.Purchase> batch = new ArrayList<>();
    for (long day = Math.floorDiv(from, 86_400_000L) * 86_400_000L; day < to; day += 86_400_000L) {
      generator.day(day, p -> {
        if (p.ts() >= from && p.ts() < to) batch.add(p);
      });
    }
    batch.sort(Comparator.comparingLong(PurchaseGenerator.Purchase::ts));
    batch.forEach(this::send);
    producer.flush();
    return batch.size();
  }

  /**
   * Starts sending live purchases at about {@code perSecond}, a third of them by the users numbered
   * {@code featured} (0-based); {@code until} hears the time covered so far, every few seconds.
   */
  public void startLive(double perSecond, int[] featured, LongConsumer until) {
    thread = Thread.ofPlatform().name("demo-live-purchases").daemon(true).start(() -> {
      long lastReport = 0;
      while (running) {
        long now = System.currentTimeMillis();
        int n = poisson(perSecond * 0.2);
        for (int i = 0; i < n; i++) {
          send(random.nextInt(3) == 0 ? generator.purchase(featured[random.nextInt(featured.length)], now) : generator.next(now));
        }
        if (now - lastReport > 5000) {
          until.accept(now);
          lastReport = now;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  public long produced() {
    return produced.get();
  }

  private void send(PurchaseGenerator.Purchase p) {
    Map<String, Object> value = Map.of("user_id", p.userId(), "merchant", p.merchant(), "amount", p.amount(), "currency", p.currency(),
        "ts", p.ts());
    producer.send(new ProducerRecord<>(topic, p.userId(), JSON.writeValueAsString(value)));
    produced.incrementAndGet();
  }

  private int poisson(double lambda) {
    double l = Math.exp(-lambda), p = 1;
    int k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.interrupt();
      thread.join(2000);
    }
    producer.close(java.time.Duration.ofSeconds(5));
  }
}
