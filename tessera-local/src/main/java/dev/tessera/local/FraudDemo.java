package dev.tessera.local;

import dev.tessera.support.Topics;

import dev.tessera.local.demo.DemoCheckouts;
import dev.tessera.local.demo.DemoHistory;
import dev.tessera.local.demo.LiveTraffic;
import dev.tessera.local.demo.PurchaseGenerator;
import dev.tessera.support.kafka.KafkaClients;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The fraud-detection example end to end: six months of purchases and four weeks of labelled
 * checkouts in the warehouse; three GroupBys over the purchases (the buyer's, the merchant's and the
 * pair's statistics) registered, each with a week of daily snapshots backfilled, yesterday uploaded
 * and its streaming job running; the {@code fraud_model} Join over them registered; today's purchases
 * and then live ones flowing through Kafka, and the ingest job landing them in the warehouse so that
 * the batch side sees what the stream saw. Each step remembers in {@link StackState} that it is done
 * (per GroupBy), so a restart only does what is missing.
 */
final class FraudDemo implements AutoCloseable {
  /** The demo's GroupBys, in the order they are registered and run; each is {@code /demo/<name>.yaml}. */
  static final List<String> GROUP_BYS = List.of("fraud_features", "merchant_features", "buyer_merchant_features");
  /** The Join of the three, registered after them ({@code /demo/fraud_model.yaml}). */
  static final String JOIN = "fraud_model";
  static final String TOPIC = "purchases";
  /** The days before the history's end that get checkouts (the Join's left table). */
  static final int CHECKOUT_DAYS = 28;
  static final int HISTORY_DAYS = 183;
  static final int BACKFILL_DAYS = 7;
  /** Users 1000..1004 buy often in the live traffic: their features visibly move. */
  static final int[] FEATURED = {0, 1, 2, 3, 4};
  private static final long USER_SEED = 20261125L;
  private static final String FEATURE_LOG_TOPIC = "tessera.feature-log";
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(20);

  private final StackConfig config;
  private final StackState state;
  private final Progress progress;
  private final int users;
  private final double liveRate;
  private final BatchJobs jobs;
  private LiveTraffic live;
  private final List<Long> ingestJobs = new java.util.concurrent.CopyOnWriteArrayList<>();

  FraudDemo(StackConfig config, StackState state, Progress progress, int users, double liveRate) {
    this.config = config;
    this.state = state;
    this.progress = progress;
    this.users = users;
    this.liveRate = liveRate;
    this.jobs = new BatchJobs(config.url(Service.BATCH), config.writer());
  }

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** Writes the history and the checkouts into the warehouse file; must run before the batch service opens it. */
  void prepareWarehouse() throws Exception {
    // before the fetcher starts logging to it (a topic auto-created under an idempotent producer can stall it)
    Topics.ensure(KafkaClients.plaintext(config.kafkaBootstrap()), FEATURE_LOG_TOPIC, 1);
    writeHistory();
    writeCheckouts();
  }

  private void writeHistory() throws Exception {
    if (state.get("demo.history.until") != null) {
      progress.step(String.format("Demo history already in the warehouse: %,d purchases, %s to %s (kept from the first start)",
          Long.parseLong(state.get("demo.history.rows")), state.get("demo.history.from"),
          LocalDate.parse(state.get("demo.history.until")).minusDays(1)));
      return;
    }
    clearRedis();
    LocalDate until = today();
    LocalDate from = until.minusDays(HISTORY_DAYS);
    progress.step(String.format("Generating %d days of purchases by %,d users into the DuckDB warehouse (%s to %s)...", HISTORY_DAYS,
        users, from, until.minusDays(1)));
    long t0 = System.nanoTime();
    long rows = DemoHistory.write(config.warehouse(), new PurchaseGenerator(USER_SEED, USER_SEED, users), from, until, day -> {
      if (day[0] % 30 == 0 || day[0] == day[1]) progress.detail(String.format("%3d/%d days, %,d purchases", day[0], day[1], day[2]));
    });
    progress.step(String.format("Warehouse table %s: %,d purchases in %.1f s", DemoHistory.TABLE, rows, (System.nanoTime() - t0) / 1e9));
    state.put("demo.history.from", from.toString());
    state.put("demo.history.rows", String.valueOf(rows));
    state.put("demo.history.until", until.toString());
  }

  /**
   * The Join's left table, from the purchases of the history's last {@link #CHECKOUT_DAYS} days (a
   * data folder of an older demo gets it at its next start); before the batch service opens the file.
   */
  private void writeCheckouts() throws Exception {
    if (state.get("demo.checkouts.rows") != null) {
      progress.step(String.format("Demo checkouts already in the warehouse: %,d rows (left table of the %s Join)",
          Long.parseLong(state.get("demo.checkouts.rows")), JOIN));
      return;
    }
    LocalDate until = LocalDate.parse(state.get("demo.history.until"));
    LocalDate from = until.minusDays(CHECKOUT_DAYS);
    long t0 = System.nanoTime();
    long[] written = DemoCheckouts.write(config.warehouse(), from, until);
    progress.step(String.format("Warehouse table %s (left table of the %s Join): %,d checkouts of %s to %s, %,d labelled fraud, in %.1f s",
        DemoCheckouts.TABLE, JOIN, written[0], from, until.minusDays(1), written[1], (System.nanoTime() - t0) / 1e9));
    state.put("demo.checkouts.rows", String.valueOf(written[0]));
  }

  /**
   * A new data folder starts with version 1 of the demo's GroupBys again: keys that an earlier stack
   * left in a shared Redis under their names would mix with the new data (tiles are merged), so they go.
   */
  private void clearRedis() throws IOException {
    try (RedisClient redis = new RedisClient(config.redisHost(), config.redisPort())) {
      int n = deleteRedisKeys(redis);
      if (n > 0) progress.step("Removed " + n + " Redis keys of " + String.join(", ", GROUP_BYS) + " left by an earlier local stack");
    }
  }

  /** Deletes every key of the demo's GroupBys (batch IRs, tiles, upload markers); returns how many. */
  static int deleteRedisKeys(RedisClient redis) throws IOException {
    int n = 0;
    for (String g : GROUP_BYS) n += redis.deleteMatching("tsr:{" + g + ":*") + redis.deleteMatching("tsr:upload:" + g + ":*");
    return n;
  }

  /** Everything after the services are up. */
  void run() throws Exception {
    Topics.ensure(KafkaClients.plaintext(config.kafkaBootstrap()), TOPIC, 4);
    Map<String, Integer> versions = new LinkedHashMap<>();
    for (String g : GROUP_BYS) versions.put(g, register("groupbys", g));
    register("joins", JOIN);
    long now = System.currentTimeMillis();
    long todayStart = today().atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    long from = Math.max(todayStart, state.getLong("demo.live.until", 0));
    PurchaseGenerator generator = new PurchaseGenerator(USER_SEED, System.nanoTime(), users);
    live = new LiveTraffic(config.kafkaBootstrap(), TOPIC, generator);
    if (from < now) {
      long sent = live.catchUp(from, now);
      progress.step(String.format("Produced %,d purchases of today (%s to now) to Kafka topic '%s'", sent,
          java.time.Instant.ofEpochMilli(from), TOPIC));
    }
    state.put("demo.live.until", String.valueOf(now));
    // After the backlog is in the topic: a new job then waits for every partition that holds records
    // before its watermark moves (stream-service README, "Late events"), so none of it is judged late.
    for (String g : GROUP_BYS) startStreamingJob(g);
    // the GroupBys share their source: one ingest lands the topic in the table all three read
    ingest("bounded");
    LocalDate yesterday = today().minusDays(1);
    for (var g : versions.entrySet()) backfillAndUpload(g.getKey(), g.getValue(), yesterday);
    long ingest = jobs.submit("ingest", Map.of("topic", TOPIC, "groupBy", GROUP_BYS.getFirst(), "mode", "continuous"), Duration.ofMinutes(1));
    ingestJobs.add(ingest);
    progress.step("Continuous ingest job " + ingest + ": Kafka topic '" + TOPIC + "' -> warehouse table " + DemoHistory.TABLE);
    // What `tessera consistency` compares: every fetch the fetcher logs, and what the stream dead-lettered.
    // Dead letters of fraud_features only: every dead-letter topic lands in the one table
    // tessera_deadletter, which one job at a time may write (the live purchases are in time order,
    // so the other two GroupBys have nothing late to attribute anyway).
    for (String[] log : new String[][] {{FEATURE_LOG_TOPIC, "feature-log"}, {"tessera.deadletter." + GROUP_BYS.getFirst(), "dead-letter"}}) {
      Topics.ensure(KafkaClients.plaintext(config.kafkaBootstrap()), log[0], 1);
      long id = jobs.submit("ingest", Map.of("topic", log[0], "format", log[1], "mode", "continuous"), Duration.ofMinutes(1));
      ingestJobs.add(id);
      progress.step("Continuous ingest job " + id + ": Kafka topic '" + log[0] + "' -> warehouse (" + log[1] + ")");
    }
    live.startLive(liveRate, FEATURED, until -> {
      try {
        state.put("demo.live.until", String.valueOf(until));
      } catch (IOException e) {
        // the next report tries again; at worst a restart produces a few seconds twice
      }
    });
    progress.step(String.format("Live purchases: about %.0f per second to '%s'", liveRate, TOPIC));
    for (String g : GROUP_BYS) awaitStreamCaughtUp(g);
  }

  /**
   * The batch side of one GroupBy: a week of daily snapshots and the upload as of yesterday, each
   * skipped when StackState says this GroupBy version already has it (a restart on the same day; a
   * changed demo definition is a new version, which gets its own).
   */
  private void backfillAndUpload(String groupBy, int version, LocalDate yesterday) throws IOException, InterruptedException {
    String backfillKey = "demo.backfill.until." + groupBy + ".v" + version;
    if (!yesterday.toString().equals(state.get(backfillKey))) {
      LocalDate start = yesterday.minusDays(BACKFILL_DAYS - 1);
      runJob("backfill", Map.of("groupBy", groupBy, "startDate", start.toString(), "endDate", yesterday.toString()),
          "Backfill of " + groupBy + ", daily snapshots " + start + " to " + yesterday + " (the last " + BACKFILL_DAYS
              + " days; backfill more with POST :" + config.ports().get(Service.BATCH) + "/api/v1/jobs/backfill)");
      state.put(backfillKey, yesterday.toString());
    } else {
      progress.step("Backfill of " + groupBy + " through " + yesterday + " already done");
    }
    String uploadKey = "demo.upload.date." + groupBy + ".v" + version;
    if (!yesterday.toString().equals(state.get(uploadKey))) {
      runJob("upload", Map.of("groupBy", groupBy, "date", yesterday.toString()),
          "Upload of the batch IRs of " + groupBy + " as of " + yesterday + " to Redis");
      state.put(uploadKey, yesterday.toString());
    } else {
      progress.step("Upload of " + groupBy + " as of " + yesterday + " already in Redis");
    }
  }

  /** Publishes {@code /demo/<name>.yaml} to {@code /api/v1/<kind>} (groupbys or joins); unchanged on a restart. */
  private int register(String kind, String name) throws IOException, InterruptedException {
    String yaml;
    try (InputStream in = FraudDemo.class.getResourceAsStream("/demo/" + name + ".yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Rest registry = config.writer();
    JsonNode r = registry.post(config.url(Service.REGISTRY) + "/api/v1/" + kind, "application/yaml", yaml).orThrow("registering " + name);
    String what = kind.equals("joins") ? "Join " : "";
    progress.step("Registered " + what + name + " version " + r.path("version").asInt() + " (" + r.path("change").asString().toLowerCase()
        + ", publication " + r.path("publication").path("status").asString() + ")");
    return r.path("version").asInt();
  }

  private void startStreamingJob(String groupBy) throws IOException, InterruptedException {
    Rest rest = config.writer();
    String url = config.url(Service.STREAM) + "/api/v1/streaming-jobs";
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (true) {
      Rest.Response r = rest.postJson(url, Map.of("groupBy", groupBy, "mode", "create"));
      if (r.status() == 201) {
        progress.step("Streaming job started: " + r.json().path("applicationId").asString());
        return;
      }
      if (r.status() == 409) {
        progress.step("Streaming job of " + groupBy + " already running (resumes from its committed offsets)");
        return;
      }
      // 404/503: the stream service has not read the registry's record yet
      if ((r.status() != 404 && r.status() != 503) || System.nanoTime() > deadline) {
        throw new IOException("starting the streaming job failed: HTTP " + r.status() + " " + r.text());
      }
      Thread.sleep(1000);
    }
  }

  private void ingest(String mode) throws IOException, InterruptedException {
    runJob("ingest", Map.of("topic", TOPIC, "groupBy", GROUP_BYS.getFirst(), "mode", mode),
        "Ingest of Kafka topic '" + TOPIC + "' into the warehouse (what the stream saw, for the batch side)");
  }

  private void runJob(String kind, Map<String, ?> body, String title) throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    long id = jobs.submit(kind, body, Duration.ofMinutes(2));
    progress.step(title + ": job " + id + "...");
    JsonNode done = jobs.await(id, JOB_TIMEOUT, job -> progress.detail(BatchJobs.describe(job)));
    progress.detail(String.format("done in %.1f s: %s", (System.nanoTime() - t0) / 1e9, BatchJobs.describe(done)));
  }

  /** Waits (90 s at most) until the streaming job of {@code groupBy} has read everything produced so far. */
  private void awaitStreamCaughtUp(String groupBy) throws IOException, InterruptedException {
    Rest rest = new Rest();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    JsonNode job = null;
    while (System.nanoTime() < deadline) {
      job = rest.get(config.url(Service.STREAM) + "/api/v1/streaming-jobs/" + groupBy).json();
      JsonNode lag = job.path("lag");
      if ("RUNNING".equals(job.path("state").asString()) && lag.has("total") && lag.path("total").asLong() < 50) break;
      Thread.sleep(2000);
    }
    if (job != null) {
      progress.step(String.format("Streaming job of %s %s: %,d events read, lag %s", groupBy, job.path("state").asString(),
          job.path("events").path("in").asLong(), job.path("lag").path("total")));
    }
  }

  /** Stops the live purchases and asks the continuous ingest to stop (before the services go down). */
  @Override
  public void close() {
    if (live != null) {
      try {
        live.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (long id : ingestJobs) {
      try {
        jobs.stop(id);
      } catch (IOException | InterruptedException e) {
        // the batch service marks it failed at its next start; a new ingest continues from the stored offsets
      }
    }
  }
}
