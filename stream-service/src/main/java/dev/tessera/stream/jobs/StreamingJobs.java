package dev.tessera.stream.jobs;

import dev.tessera.stream.system.StreamProperties;
import dev.tessera.stream.topology.TileTopology;
import dev.tessera.support.Definitions;
import dev.tessera.support.LiveGroupBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming jobs of this instance, kept in line with the registry (live versions), the job
 * records (what was asked through the API) and {@code auto-start}. Every change goes through one
 * thread, so starts and stops never race; the API waits for it.
 *
 * <ul>
 *   <li>A new version gets a new job (a new application id); the old version's job stops once
 *       the new one runs.
 *   <li>During a rollout the pending version's job runs beside the live version's, which keeps
 *       serving the fetcher; a pending version superseded or cancelled stops at once.
 *   <li>A retired GroupBy, one that is no longer online, or one stopped through the API: its job
 *       stops.
 *   <li>A job that failed, or waits for its source topics, is retried with a back-off.
 * </ul>
 */
public final class StreamingJobs implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamingJobs.class);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  /**
   * How long a job may take to close when the service stops. With Kafka gone a close waits its whole
   * timeout (it cannot commit or leave the group). The jobs close while the web server drains, so
   * this and the drain overlap, and a SIGTERM ends well within the 30 s orchestrators wait before
   * they kill (issue 21).
   */
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(8);

  private final Definitions definitions;
  private final JobIntents intents;
  private final JobLauncher launcher;
  private final KafkaTopics topics;
  private final StreamProperties props;
  private final Clock clock;
  private final ServiceStop serviceStop;
  /** The jobs' closes begun by {@link #beginShutdown}, which {@link #close} waits for. */
  private final Map<StreamingJob, Thread> closing = new ConcurrentHashMap<>();
  /**
   * Per GroupBy, its jobs by version: a new version's job runs next to the old one until it is up,
   * and a pending version's next to the live one for the whole rollout.
   */
  private final Map<String, Map<Integer, StreamingJob>> jobs = new ConcurrentHashMap<>();
  /** Every name a change was heard of: reconcileAll visits them too (one may have a pending version only). */
  private final Set<String> heard = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("stream-jobs").factory());
  private final ScheduledExecutorService lagProbe = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("stream-jobs-lag").factory());

  public StreamingJobs(Definitions definitions, JobIntents intents, JobLauncher launcher, KafkaTopics topics,
      StreamProperties props, Clock clock, ServiceStop serviceStop) {
    this.serviceStop = serviceStop;
    this.definitions = definitions;
    this.intents = intents;
    this.launcher = launcher;
    this.topics = topics;
    this.props = props;
    this.clock = clock;
  }

  public void start() {
    intents.addListener(name -> changed(name));
    long every = props.reconcileInterval().toMillis();
    control.scheduleWithFixedDelay(this::reconcileAll, every, every, TimeUnit.MILLISECONDS);
    long lagEvery = props.lagInterval().toMillis();
    lagProbe.scheduleWithFixedDelay(this::measureLag, lagEvery, lagEvery, TimeUnit.MILLISECONDS);
  }

  /** A definition or a job record changed (null: everything may have). */
  public void changed(String name) {
    // Called from Kafka Streams state listeners too: never throw there, also not while shutting down.
    if (control.isShutdown()) return;
    if (name != null) heard.add(name);
    try {
      control.execute(() -> {
        if (name == null) reconcileAll();
        else reconcile(name);
      });
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // the service is stopping: nothing to reconcile any more
    }
  }

  public boolean isReady() {
    return definitions.isCaughtUp() && intents.isCaughtUp();
  }

  // ---- the API ----

  /**
   * Starts the live version's job, and the pending version's beside it during a rollout (and records
   * the request so that it survives restarts).
   */
  public StreamingJob create(String name) {
    if (serviceStop.begun()) throw new JobProblem.ServiceStopping(false);
    requireReady();
    definitions.live(name).orElseThrow(() -> new JobProblem.GroupByNotFound(name));
    LiveGroupBy target = versions(name).target();
    if (!target.published().definition().online()) throw new JobProblem.NotOnline(name);
    StreamingJob current = jobOf(name, target.version());
    if (current != null && current.state().isActive()) {
      throw new JobProblem.AlreadyRunning(name, current.version(), current.state());
    }
    intents.request(name, JobIntents.Desired.RUNNING);
    await(name, true);
    StreamingJob job = newest(name);
    if (job == null) throw new IllegalStateException("no job for " + name + " after starting it");
    return job;
  }

  /** Stops every job of the GroupBy (and records it, so auto-start and restarts leave it stopped). */
  public StreamingJob stop(String name) {
    StreamingJob current = newest(name);
    boolean requested = intents.get(name).map(i -> i.desired() == JobIntents.Desired.RUNNING).orElse(false);
    if (current == null && !requested) throw new JobProblem.JobNotFound(name);
    intents.request(name, JobIntents.Desired.STOPPED);
    await(name, false);
    return newest(name);
  }

  /**
   * How far version {@code version} of GroupBy {@code name} has caught up to {@code until} (epoch
   * millis; null = now). The version must be the live one, the pending one, or have a job here.
   */
  public CatchUpProgress progress(String name, int version, Long until) {
    requireReady();
    JobPlanner.Versions versions = versions(name);
    StreamingJob job = jobOf(name, version);
    if (versions.live() == null && versions.pending() == null && job == null) throw new JobProblem.GroupByNotFound(name);
    LiveGroupBy known = Stream.of(versions.live(), versions.pending(), job == null ? null : job.live())
        .filter(v -> v != null && v.version() == version).findFirst()
        .orElseThrow(() -> new JobProblem.GroupByNotFound(name, version));
    long at = until == null ? clock.millis() : until;
    List<String> sources = TileTopology.sourceTopics(known.compiled());
    List<String> missing = topics.missing(sources);
    List<String> present = sources.stream().filter(t -> !missing.contains(t)).toList();
    var partitions = present.isEmpty() ? List.<CatchUpProgress.Partition>of()
        : topics.catchUp(props.applicationId(name, version), present, Instant.ofEpochMilli(at));
    return CatchUpProgress.of(name, version, job == null ? null : job.state(), at, partitions, !missing.isEmpty());
  }

  public List<StreamingJob> list() {
    List<StreamingJob> all = new ArrayList<>();
    jobs.values().forEach(byVersion -> all.addAll(byVersion.values()));
    all.sort(Comparator.comparing(StreamingJob::name).thenComparing(StreamingJob::version, Comparator.reverseOrder()));
    return all;
  }

  /** The job of the newest version of the GroupBy on this instance. */
  public Optional<StreamingJob> get(String name) {
    return Optional.ofNullable(newest(name));
  }

  private StreamingJob newest(String name) {
    Map<Integer, StreamingJob> byVersion = jobs.get(name);
    if (byVersion == null || byVersion.isEmpty()) return null;
    return byVersion.get(byVersion.keySet().stream().max(Integer::compare).orElseThrow());
  }

  // ---- reconciliation (on the control thread) ----

  private void reconcileAll() {
    if (!isReady()) return;
    Set<String> names = new TreeSet<>();
    definitions.all().forEach(g -> names.add(g.name()));
    names.addAll(jobs.keySet());
    // a name with only a pending version is not in all(): the registry listener told us of it
    names.addAll(heard);
    for (String name : names) {
      try {
        reconcile(name);
      } catch (RuntimeException e) {
        log.warn("could not reconcile the streaming job of {}: {}", name, e.toString(), e);
      }
    }
  }

  private void reconcile(String name) {
    if (!isReady()) return;
    JobPlanner.Versions versions = versions(name);
    JobIntents.Desired requested = intents.get(name).map(JobIntents.Intent::desired).orElse(null);
    LiveGroupBy target = versions.target();
    JobPlanner.Decision decision = JobPlanner.decide(target, requested, props.autoStart(), current(name, target));
    if (decision.action() == JobPlanner.Action.STOP) {
      stopAll(name, decision.reason());
      return;
    }
    carryOut(name, target, decision);
    LiveGroupBy beside = versions.beside();
    if (beside != null) carryOut(name, beside, JobPlanner.decide(beside, requested, props.autoStart(), current(name, beside)));

    Map<Integer, StreamingJob> byVersion = jobs.getOrDefault(name, Map.of());
    Map<Integer, JobState> active = new HashMap<>();
    byVersion.forEach((version, job) -> {
      if (job.state() != JobState.STOPPED) active.put(version, job.state());
    });
    int anchor = versions.anchor().version();
    StreamingJob anchorJob = byVersion.get(anchor);
    JobPlanner.toStop(active, anchor, target.version(), anchorJob == null ? null : anchorJob.state())
        .forEach((version, reason) -> stop(byVersion.get(version), reason));
  }

  private JobPlanner.Versions versions(String name) {
    return new JobPlanner.Versions(definitions.live(name).orElse(null), definitions.pending(name).orElse(null));
  }

  /** The job of {@code version} on this instance as the planner sees it; null when there is none. */
  private JobPlanner.Current current(String name, LiveGroupBy version) {
    StreamingJob job = version == null ? null : jobOf(name, version.version());
    return job == null ? null
        : new JobPlanner.Current(job.version(), job.live().published().definition(), job.state(), job.mayRetry(clock.instant()));
  }

  private StreamingJob jobOf(String name, int version) {
    return jobs.getOrDefault(name, Map.of()).get(version);
  }

  private void carryOut(String name, LiveGroupBy version, JobPlanner.Decision decision) {
    StreamingJob job = jobOf(name, version.version());
    // once the service stops, the jobs it closed stay closed: nothing starts, stops still happen
    boolean mayStart = !serviceStop.begun();
    switch (decision.action()) {
      case STOP -> stop(job, decision.reason());
      case START -> {
        if (mayStart) launch(version);
      }
      case RESTART -> {
        stop(job, decision.reason());
        if (mayStart) launch(version);
      }
      case RETRY -> {
        if (mayStart) run(job);
      }
      case NONE -> { }
    }
  }

  private void stop(StreamingJob job, String reason) {
    if (job == null || job.state() == JobState.STOPPED) return;
    job.stop(reason, STOP_TIMEOUT);
    job.metrics().close();
  }

  private void stopAll(String name, String reason) {
    Map<Integer, StreamingJob> byVersion = jobs.get(name);
    if (byVersion == null) return;
    byVersion.values().forEach(job -> stop(job, reason));
  }

  private void launch(LiveGroupBy live) {
    StreamingJob job = launcher.create(live, () -> changed(live.name()));
    StreamingJob before = jobs.computeIfAbsent(live.name(), n -> new ConcurrentHashMap<>()).put(live.version(), job);
    if (before != null && before.state() != JobState.STOPPED) before.stop("replaced", STOP_TIMEOUT);
    run(job);
  }

  private void run(StreamingJob job) {
    try {
      List<String> missing = topics.missing(job.sourceTopics());
      if (!missing.isEmpty()) {
        job.waiting("source topic(s) " + missing + " do not exist yet; the job starts when they do");
        return;
      }
      topics.ensure(job.deadLetterTopic(), props.deadLetterPartitions(), Map.of());
      job.start();
    } catch (RuntimeException e) {
      job.failedToStart(e.getMessage());
      job.waiting("could not start: " + e.getMessage());
      log.warn("could not start streaming job {}: {}", job.applicationId(), e.toString());
    }
  }

  private void measureLag() {
    for (StreamingJob job : list()) {
      if (job.state() != JobState.RUNNING && job.state() != JobState.REBALANCING) continue;
      try {
        job.lag(topics.lag(job.applicationId(), job.sourceTopics()));
      } catch (RuntimeException e) {
        log.debug("cannot measure the lag of {}: {}", job.applicationId(), e.toString());
      }
    }
  }

  private void requireReady() {
    if (!isReady()) throw new JobProblem.NotReady();
  }

  /**
   * Waits for a job change on the control thread, which may be waiting for Kafka (topics, a client's
   * start or close). A start is let go (503) {@link ServiceStop#GRACE} after a stop begins; a job
   * stop is waited for, as the service's stop closes the jobs anyway.
   */
  private void await(String name, boolean start) {
    CompletableFuture<Void> change = CompletableFuture.runAsync(() -> reconcile(name), control);
    Duration timeout = STOP_TIMEOUT.multipliedBy(2);
    try {
      if (start) serviceStop.await(change, timeout);
      else change.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the job change did not finish in time", e);
    }
  }

  /**
   * The service begins to stop (the context is closing; the web server drains next): job starts are
   * refused from now on and every job begins to close, in parallel, while the requests in flight are
   * answered. A request about a job (a stop, a GET) still finds it, closing or closed.
   */
  public synchronized void beginShutdown() {
    serviceStop.begin();
    lagProbe.shutdownNow();
    for (StreamingJob job : list()) {
      // a job whose start was under way when the stop began is caught by the second call, from close()
      if (job.state() != JobState.STOPPED && closing.putIfAbsent(job, Thread.ofVirtual().unstarted(
          () -> job.stop("the service is shutting down", SHUTDOWN_TIMEOUT))) == null) {
        closing.get(job).start();
      }
    }
  }

  /** After the web server has drained: no more changes; waits for the closes begun by {@link #beginShutdown}. */
  @Override
  public void close() {
    beginShutdown();
    control.shutdownNow();
    long deadline = System.nanoTime() + SHUTDOWN_TIMEOUT.plusSeconds(1).toNanos();
    for (Thread t : List.copyOf(closing.values())) {
      try {
        t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
