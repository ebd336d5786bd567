package dev.tessera.stream.jobs;

import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.support.LiveGroupBy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GroupBy version's streaming job on this instance: a Kafka Streams client running the tiling
 * topology under the version's application id. Other instances running the same job share its
 * partitions. A crashed stream thread is replaced (it resumes from the last commit); a client that
 * gives up is restarted by {@link StreamingJobs} with a back-off.
 */
public final class StreamingJob {
  private static final Logger log = LoggerFactory.getLogger(StreamingJob.class);
  /** More thread crashes than this within a minute: stop replacing threads, fail the client. */
  static final int MAX_THREAD_REPLACEMENTS_PER_MINUTE = 5;

  private final LiveGroupBy live;
  private final String applicationId;
  private final List<String> sourceTopics;
  private final String deadLetterTopic;
  private final JobMetrics metrics;
  private final Supplier<KafkaStreams> streamsFactory;
  private final Clock clock;
  private final Runnable onChange;
  private final Deque<Long> replacements = new ArrayDeque<>();

  private volatile KafkaStreams streams;
  private volatile JobState state = JobState.STARTING;
  private volatile boolean everRunning;
  private volatile String reason;
  private volatile String error;
  private volatile Instant startedAt;
  private volatile Instant stoppedAt;
  private volatile Lag lag;
  private volatile int failedStarts;
  private volatile Instant lastAttempt;

  StreamingJob(LiveGroupBy live, String applicationId, List<String> sourceTopics, String deadLetterTopic, JobMetrics metrics,
      Supplier<KafkaStreams> streamsFactory, Clock clock, Runnable onChange) {
    this.live = live;
    this.applicationId = applicationId;
    this.sourceTopics = List.copyOf(sourceTopics);
    this.deadLetterTopic = deadLetterTopic;
    this.metrics = metrics;
    this.streamsFactory = streamsFactory;
    this.clock = clock;
    this.onChange = onChange;
  }

  /** Starts a Kafka Streams client for the job; it resumes from the job's committed offsets. */
  synchronized void start() {
    lastAttempt = clock.instant();
    KafkaStreams s = streamsFactory.get();
    s.setUncaughtExceptionHandler(this::onThreadCrash);
    s.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        everRunning = true;
        failedStarts = 0;
      }
      if (now == KafkaStreams.State.ERROR) failedStarts++;
      onChange.run();
    });
    metrics.bindClient(s);
    streams = s;
    state = JobState.STARTING;
    reason = null;
    everRunning = false;
    startedAt = clock.instant();
    stoppedAt = null;
    s.start();
    log.info("started streaming job {} (GroupBy {} version {})", applicationId, live.name(), live.version());
  }

  private StreamThreadExceptionResponse onThreadCrash(Throwable e) {
    error = e.toString();
    long now = clock.millis();
    synchronized (replacements) {
      replacements.addLast(now);
      while (!replacements.isEmpty() && replacements.peekFirst() < now - 60_000) replacements.removeFirst();
      if (replacements.size() > MAX_THREAD_REPLACEMENTS_PER_MINUTE) {
        log.error("streaming job {}: stream threads keep failing, stopping the client: {}", applicationId, e.toString(), e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      }
    }
    log.error("streaming job {}: a stream thread failed, replacing it (it resumes from the last commit): {}", applicationId,
        e.toString(), e);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** A source topic is missing: the job waits (and is retried) instead of failing. */
  synchronized void waiting(String why) {
    lastAttempt = clock.instant();
    state = JobState.WAITING_FOR_TOPICS;
    reason = why;
  }

  /** Closes the client (committing what it processed) and records why. */
  void stop(String why, Duration timeout) {
    KafkaStreams s;
    synchronized (this) {
      s = streams;
      state = JobState.STOPPING;
      reason = why;
    }
    // Leave the group: instances still running the job take its partitions at once.
    if (s != null && !s.close(CloseOptions.timeout(timeout).withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
      log.warn("streaming job {} did not stop within {}; its threads finish in the background", applicationId, timeout);
    }
    synchronized (this) {
      streams = null;
      state = JobState.STOPPED;
      stoppedAt = clock.instant();
    }
    log.info("stopped streaming job {}: {}", applicationId, why);
  }

  public JobState state() {
    KafkaStreams s = streams;
    if (s == null) return state;
    return switch (s.state()) {
      case CREATED -> JobState.STARTING;
      case REBALANCING -> everRunning ? JobState.REBALANCING : JobState.STARTING;
      case RUNNING -> JobState.RUNNING;
      case PENDING_SHUTDOWN -> state == JobState.STOPPING ? JobState.STOPPING : JobState.FAILED;
      case NOT_RUNNING -> state == JobState.STOPPING ? JobState.STOPPING : JobState.STOPPED;
      case PENDING_ERROR, ERROR -> JobState.FAILED;
    };
  }

  /** The tasks this instance runs (e.g. {@code 1_0}: sub-topology 1, partition 0): how instances split a job. */
  public Set<String> localTasks() {
    KafkaStreams s = streams;
    Set<String> tasks = new TreeSet<>();
    if (s == null) return tasks;
    try {
      for (ThreadMetadata t : s.metadataForLocalThreads()) t.activeTasks().forEach(task -> tasks.add(task.taskId().toString()));
    } catch (RuntimeException notRunning) {
      // metadata is only available while the client runs
    }
    return tasks;
  }

  /** When a failed or waiting job may be tried again: 2 s, doubling per failure, at most a minute. */
  boolean mayRetry(Instant now) {
    Instant last = lastAttempt;
    if (last == null) return true;
    long backoff = Math.min(60_000, 2_000L << Math.min(5, failedStarts));
    return !now.isBefore(last.plusMillis(backoff));
  }

  void failedToStart(String why) {
    failedStarts++;
    error = why;
  }

  void lag(Lag lag) {
    this.lag = lag;
    metrics.lag(lag.total());
  }

  public LiveGroupBy live() {
    return live;
  }

  public String name() {
    return live.name();
  }

  public int version() {
    return live.version();
  }

  public String applicationId() {
    return applicationId;
  }

  public List<String> sourceTopics() {
    return sourceTopics;
  }

  public String deadLetterTopic() {
    return deadLetterTopic;
  }

  public JobMetrics metrics() {
    return metrics;
  }

  public String reason() {
    return reason;
  }

  public String error() {
    return error;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant stoppedAt() {
    return stoppedAt;
  }

  public Lag lag() {
    return lag;
  }

  KafkaStreams streams() {
    return streams;
  }
}
