package dev.tessera.batch.upload;

import dev.tessera.agg.codec.RedisKeys;
import dev.tessera.agg.window.Windows;
import dev.tessera.batch.jobs.FieldProblem;
import dev.tessera.batch.jobs.JobStateException;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.support.LiveGroupBy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/** Validates an upload request and turns it into a launch. */
public final class UploadRequests {
  private final RequestSupport support;
  private final Job job;
  private final RedisConnectionFactory redis;

  UploadRequests(RequestSupport support, Job job, RedisConnectionFactory redis) {
    this.support = support;
    this.job = job;
    this.redis = redis;
  }

  public Launch launch(UploadRequest r) {
    LiveGroupBy g = r.version() == null ? support.groupBy(r.groupBy()) : support.groupBy(r.groupBy(), r.version());
    List<FieldProblem> problems = new ArrayList<>();
    if (!g.published().definition().online()) {
      problems.add(new FieldProblem("groupBy", g.name() + " is not online: only online GroupBys are uploaded and served"));
    }
    LocalDate date = support.date("date", r.date(), problems);
    LocalDate lastComplete = support.lastCompleteDay();
    if (date != null && date.isAfter(lastComplete)) {
      // a batch IR ending in the future hides every streaming tile before its end: fetches would fail
      // until a forced re-upload (DESIGN.md "Window semantics": uploads are as of a complete day)
      problems.add(new FieldProblem("date", "must be on or before " + lastComplete + ", the last complete day (UTC); " + date
          + " has not ended yet"));
    }
    support.checkSources(g.compiled(), problems);
    String target = "redis:" + g.name() + ":" + g.version();
    JobParametersBuilder params = support.parameters(g, target, r.partitions(), r.maxRejectedRows(), r.maxRejectedFraction(), problems);
    RequestSupport.throwIfAny(problems);
    long batchEnd = Windows.batchEnd(date);
    Long live = liveBatchEnd(g);
    if (live != null && live > batchEnd && !Boolean.TRUE.equals(r.force())) {
      throw new JobStateException("an upload of " + g.name() + " version " + g.version() + " with a later batch end ("
          + Instant.ofEpochMilli(live) + ") is live; uploading " + date + " would replace newer batch data (set force to do it anyway)");
    }
    params.addString(UploadPlan.DATE, date.toString(), false).addLong(UploadPlan.BATCH_END, batchEnd, false);
    return new Launch(job, params.toJobParameters(), target, g.published());
  }

  /** The batch end of the latest completed upload, or null. */
  private Long liveBatchEnd(LiveGroupBy g) {
    try (RedisConnection c = redis.getConnection()) {
      byte[] v = c.stringCommands().get(RedisKeys.uploadKey(g.name(), g.version()).getBytes(StandardCharsets.UTF_8));
      return v == null ? null : Long.parseLong(new String(v, StandardCharsets.UTF_8));
    }
  }
}
