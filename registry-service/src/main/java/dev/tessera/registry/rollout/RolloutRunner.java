package dev.tessera.registry.rollout;

import dev.tessera.registry.groupby.GroupByRegistry;
import dev.tessera.registry.join.JoinParts;
import dev.tessera.registry.rollout.RolloutCalls.StepFailed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the missing steps of a GroupBy version's rollout (DESIGN.md "Version rollout") and switches
 * it live when its data is complete:
 *
 * <ol>
 *   <li><b>upload</b>: the batch service uploads that version's batch IRs as of the last complete day;
 *   <li><b>catch-up</b>: the stream service's job of that version has read its topics up to the
 *       upload's batch end, and up to the records sent before the catch-up began (so it is as
 *       current as the live version when it switches); skipped when no streaming job runs the
 *       GroupBy (it is served from batch data alone);
 *   <li><b>switch</b>: the registry announces the version under the bare name; every fetcher serves
 *       it from its next lookup, for all keys.
 * </ol>
 *
 * Until then the previous version is served. A failed step leaves the rollout FAILED with its
 * reason; starting it again runs the steps again (an upload is idempotent). One rollout per GroupBy
 * runs at a time on this instance; progress is in the database, so every instance shows it.
 */
public final class RolloutRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RolloutRunner.class);

  private final GroupByRegistry registry;
  private final RolloutCalls calls;
  private final Clock clock;
  private final Duration poll;
  private final Duration uploadTimeout;
  private final Duration catchUpTimeout;
  private final Duration purgeAfter;
  private final JoinParts joins;
  private final ScheduledExecutorService purges = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("rollout-purge").factory());
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rollout-", 0).factory());

  RolloutRunner(GroupByRegistry registry, RolloutCalls calls, Clock clock, Duration poll, Duration uploadTimeout, Duration catchUpTimeout,
      Duration purgeAfter, JoinParts joins) {
    this.registry = registry;
    this.calls = calls;
    this.clock = clock;
    this.poll = poll;
    this.uploadTimeout = uploadTimeout;
    this.catchUpTimeout = catchUpTimeout;
    this.purgeAfter = purgeAfter;
    this.joins = joins;
  }

  /** Starts looking for replaced versions whose grace period is over (every ten polls). */
  void start() {
    long every = Math.max(1, poll.toMillis() * 10);
    purges.scheduleWithFixedDelay(this::purgeDue, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Starts (or resumes) the rollout of the GroupBy's pending version; a rollout already running is
   * left alone. @throws RolloutConflictException when no version is on its way
   */
  public Rollout start(String name, String actor) {
    Rollout r = registry.rollout(name);
    if (!r.state().isPending()) {
      throw new RolloutConflictException(name, "version " + r.liveVersion() + " of " + name + " is live and is the latest: nothing to roll out");
    }
    if (running.add(name)) {
      log.info("{} starts the rollout of {} version {} (live: {})", actor, name, r.version(), r.liveVersion());
      executor.execute(() -> {
        try {
          run(name, r.version());
        } finally {
          running.remove(name);
        }
      });
    }
    return registry.rollout(name);
  }

  public boolean isRunning(String name) {
    return running.contains(name);
  }

  private void run(String name, int version) {
    Rollout r = registry.rollout(name);
    String step = RolloutStep.UPLOAD;
    try {
      // every GroupBy source has a warehouse table: its history up to the last complete day is uploaded
      LocalDate day = LocalDate.ofInstant(now(), ZoneOffset.UTC).minusDays(1);
      long until = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      r = record(r.step(step, "RUNNING", "starting the upload of " + day, null, RolloutState.UPLOADING, now()));
      long job = calls.startUpload(name, version, day);
      r = record(r.step(step, "RUNNING", "upload of " + day + " (batch job " + job + ")", job, RolloutState.UPLOADING, now()));
      RolloutCalls.Job done = awaitJob(job);
      if (!done.status().equals("COMPLETED")) {
        throw new StepFailed("batch job " + job + " (upload of " + day + ") ended " + done.status() + ": " + done.errors());
      }
      r = record(r.step(step, "DONE", "uploaded " + day + " (batch job " + job + ")", job, RolloutState.CATCHING_UP, now()));
      step = RolloutStep.CATCH_UP;
      // At least to the batch end (the contract); and to when the catch-up starts, so that the new
      // version is as current as the live one when it switches: records sent before now (Kafka's
      // record time) are read. Otherwise today's tiles would be missing until the job caught up.
      until = Math.max(until, clock.millis());
      if (calls.hasStreamingJob(name)) {
        r = record(r.step(step, "RUNNING", "reading the topics up to " + Instant.ofEpochMilli(until), null, RolloutState.CATCHING_UP, now()));
        r = awaitCatchUp(r, name, version, until);
      } else {
        // nothing streams this GroupBy: it is served from batch data alone, complete after the upload
        r = record(r.step(step, "SKIPPED", "no streaming job runs this GroupBy: served from its batch data alone", null,
            RolloutState.CATCHING_UP, now()));
      }
      step = RolloutStep.SWITCH;
      if (!registry.rollout(name).state().isPending() || registry.rollout(name).version() != version) {
        log.info("the rollout of {} version {} ended meanwhile (superseded or retired)", name, version);
        return;
      }
      int replaced = registry.rollout(name).liveVersion();
      registry.switchLive(name, version, now(), "version " + replaced + "'s online data is removed after " + purgeAfter
          + " (from " + now().plus(purgeAfter) + "), unless a Join pins it");
      log.info("{} version {} is live", name, version);
    } catch (StepFailed | RolloutConflictException e) {
      String why = e instanceof StepFailed ? e.getMessage() : ((RolloutConflictException) e).getBody().getDetail();
      log.warn("the rollout of {} version {} failed at {}: {}", name, version, step, why);
      stillMine(name, version, r.failed(step, why, now()));
    } catch (RuntimeException e) {
      log.error("the rollout of {} version {} failed at {}", name, version, step, e);
      stillMine(name, version, r.failed(step, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(), now()));
    }
  }

  /**
   * The old version's Redis data, once nobody can be served it: after {@code purgeAfter} (a
   * fetcher that read the old definition just before the switch has long moved on), not while an
   * active Join pins that version, not for a retired GroupBy (its retirement says what happens).
   * A failed purge is tried again at the next round.
   */
  private void purgeDue() {
    try {
      for (Rollout r : registry.purgesPending()) {
        if (r.updatedAt().plus(purgeAfter).isAfter(now())) continue;
        purge(r);
      }
    } catch (RuntimeException e) {
      log.warn("could not look for replaced versions to purge: {}", e.toString());
    }
  }

  private void purge(Rollout r) {
    String name = r.name();
    int old = r.replaced();
    if (registry.summary(name).status() == dev.tessera.registry.definition.DefinitionStatus.RETIRED) {
      registry.recordRollout(purgeStep(r, "SKIPPED", "the GroupBy is retired", null));
      return;
    }
    java.util.List<String> pinning = joins.activeJoinsPinning(name, old);
    if (!pinning.isEmpty()) {
      registry.recordRollout(purgeStep(r, "SKIPPED", "version " + old + " is kept: pinned by Join " + String.join(", ", pinning), null));
      return;
    }
    try {
      long job = calls.startPurge(name, old);
      RolloutCalls.Job done = awaitJob(job);
      if (!done.status().equals("COMPLETED")) throw new StepFailed("batch job " + job + " ended " + done.status() + ": " + done.errors());
      registry.recordRollout(purgeStep(r, "DONE", "removed " + done.keysDeleted() + " Redis keys of version " + old + " (batch job " + job + ")",
          job));
      log.info("purged the online data of {} version {} ({} keys)", name, old, done.keysDeleted());
    } catch (StepFailed e) {
      // stays PENDING: the next round tries again
      registry.recordRollout(purgeStep(r, "PENDING", "the purge of version " + old + " failed, tried again later: " + e.getMessage(), null));
      log.warn("the purge of {} version {} failed: {}", name, old, e.getMessage());
    }
  }

  private Rollout purgeStep(Rollout r, String status, String detail, Long job) {
    return r.step(RolloutStep.PURGE, status, detail, job, RolloutState.LIVE, now());
  }

  private RolloutCalls.Job awaitJob(long id) {
    Instant deadline = now().plus(uploadTimeout);
    while (true) {
      RolloutCalls.Job job = calls.job(id);
      if (job.ended()) return job;
      if (now().isAfter(deadline)) throw new StepFailed("batch job " + id + " did not end within " + uploadTimeout + " (still " + job.status() + ")");
      sleep();
    }
  }

  private Rollout awaitCatchUp(Rollout r, String name, int version, long until) {
    Instant deadline = now().plus(catchUpTimeout);
    String shown = null;
    while (true) {
      RolloutCalls.Progress p = calls.progress(name, version, until);
      if (p.state().equals("WAITING_FOR_TOPICS")) {
        // its topics do not exist yet: nothing was streamed, the version is served from batch data alone
        return record(r.step(RolloutStep.CATCH_UP, "SKIPPED", "its topics do not exist yet: nothing to catch up", null,
            RolloutState.CATCHING_UP, now()));
      }
      if (p.caughtUp()) {
        return record(r.step(RolloutStep.CATCH_UP, "DONE", "read up to " + Instant.ofEpochMilli(until), null, RolloutState.CATCHING_UP, now()));
      }
      String detail = "job " + (p.state().isEmpty() ? "?" : p.state()) + ", " + p.behind() + " records before " + Instant.ofEpochMilli(until)
          + " still to read";
      if (!detail.equals(shown)) {
        shown = detail;
        r = record(r.step(RolloutStep.CATCH_UP, "RUNNING", detail, null, RolloutState.CATCHING_UP, now()));
      }
      if (now().isAfter(deadline)) {
        throw new StepFailed("the stream job of version " + version + " did not catch up within " + catchUpTimeout + " (" + detail
            + "). Is it running? GET /api/v1/streaming-jobs/" + name + " on the stream service");
      }
      sleep();
    }
  }

  /** Records progress unless a newer version or a retirement ended this rollout meanwhile. */
  private Rollout record(Rollout r) {
    if (!stillMine(r.name(), r.version(), r)) throw new StepFailed("the rollout ended meanwhile (a newer version or a retirement)");
    return r;
  }

  private boolean stillMine(String name, int version, Rollout r) {
    Rollout current;
    try {
      current = registry.rollout(name);
    } catch (dev.tessera.registry.definition.DefinitionNotFoundException retired) {
      return false;
    }
    if (current.version() != version || !current.state().isPending()) return false;
    registry.recordRollout(r);
    return true;
  }

  private void sleep() {
    try {
      Thread.sleep(poll);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailed("interrupted (the registry is stopping); start the rollout again");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  @Override
  public void close() {
    purges.shutdownNow();
    executor.shutdownNow();
  }
}
