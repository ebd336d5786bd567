package dev.tessera.batch.api;

import dev.tessera.batch.backfill.BackfillRequest;
import dev.tessera.batch.backfill.BackfillRequests;
import dev.tessera.batch.consistency.ConsistencyRequest;
import dev.tessera.batch.consistency.ConsistencyRequests;
import dev.tessera.batch.ingest.IngestRequest;
import dev.tessera.batch.ingest.IngestRequests;
import dev.tessera.batch.jobs.InvalidRequestException;
import dev.tessera.batch.join.JoinTrainingSetRequests;
import dev.tessera.batch.jobs.JobSubmitter;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.purge.PurgeRequest;
import dev.tessera.batch.purge.PurgeRequests;
import dev.tessera.batch.trainingset.TrainingSetRequest;
import dev.tessera.batch.trainingset.TrainingSetRequests;
import dev.tessera.batch.upload.UploadRequest;
import dev.tessera.batch.upload.UploadRequests;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** DESIGN.md "REST APIs" (batch): start jobs, follow them, restart or stop them. */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "jobs", description = "Backfill, training sets, upload, ingest, consistency and purge jobs")
public class JobsController {
  private final JobSubmitter submitter;
  private final JobViews views;
  private final BackfillRequests backfills;
  private final TrainingSetRequests trainingSets;
  private final JoinTrainingSetRequests joinTrainingSets;
  private final UploadRequests uploads;
  private final IngestRequests ingests;
  private final ConsistencyRequests consistency;
  private final PurgeRequests purges;

  public JobsController(JobSubmitter submitter, JobViews views, BackfillRequests backfills, TrainingSetRequests trainingSets,
      JoinTrainingSetRequests joinTrainingSets, UploadRequests uploads, IngestRequests ingests, ConsistencyRequests consistency,
      PurgeRequests purges) {
    this.purges = purges;
    this.joinTrainingSets = joinTrainingSets;
    this.consistency = consistency;
    this.submitter = submitter;
    this.views = views;
    this.backfills = backfills;
    this.trainingSets = trainingSets;
    this.uploads = uploads;
    this.ingests = ingests;
  }

  @PostMapping("/backfill")
  @Operation(summary = "Daily snapshots of a GroupBy for a date range, written to <groupBy>_v<version>_daily")
  public ResponseEntity<JobAccepted> backfill(@RequestBody BackfillRequest request) {
    return start(backfills.launch(request));
  }

  @PostMapping("/training-set")
  @Operation(summary = "Point-in-time training set: every left row with the features as of its time (events strictly before it),"
      + " of a GroupBy (groupBy, leftTable, timeColumn) or of a Join (join: its left table, every part's features, its derivations)")
  public ResponseEntity<JobAccepted> trainingSet(@RequestBody TrainingSetRequest request) {
    return start(request.isJoin() ? joinTrainingSets.launch(request) : trainingSets.launch(request));
  }

  @PostMapping("/upload")
  @Operation(summary = "Batch IRs of every entity as of a date (batch end = next midnight UTC) to Redis, then the upload marker")
  public ResponseEntity<JobAccepted> upload(@RequestBody UploadRequest request) {
    return start(uploads.launch(request));
  }

  @PostMapping("/ingest")
  @Operation(summary = "Land a Kafka topic of JSON events in a warehouse table, exactly once (offsets kept with the rows)")
  public ResponseEntity<JobAccepted> ingest(@RequestBody IngestRequest request) {
    return start(ingests.launch(request));
  }

  @PostMapping("/consistency")
  @Operation(summary = "Online/offline consistency: every logged fetch of a date range recomputed at its t and compared feature by feature")
  public ResponseEntity<JobAccepted> consistency(@RequestBody ConsistencyRequest request) {
    return start(consistency.launch(request));
  }

  @PostMapping("/purge")
  @Operation(summary = "Delete every Redis key of a GroupBy version that is neither live nor being rolled out (batch IRs, tiles,"
      + " upload marker); the registry asks for it after a rollout's grace period")
  public ResponseEntity<JobAccepted> purge(@RequestBody PurgeRequest request) {
    return start(purges.launch(request));
  }

  @GetMapping
  @Operation(summary = "Recent jobs, newest first")
  public List<JobSummary> recent(@RequestParam(required = false) String type, @RequestParam(defaultValue = "20") int limit) {
    if (limit < 1 || limit > 1000) throw new InvalidRequestException("limit", "must be between 1 and 1000, was " + limit);
    return views.recent(type, limit);
  }

  @GetMapping("/{id}")
  @Operation(summary = "A job's status, progress per partition, rejections, errors and result")
  public JobView get(@PathVariable long id) {
    return views.view(id);
  }

  @PostMapping("/{id}/restart")
  @Operation(summary = "Restart a failed or stopped job: only what did not complete runs again")
  public ResponseEntity<JobAccepted> restart(@PathVariable long id) {
    submitter.restart(id);
    return accepted(id);
  }

  @PostMapping("/{id}/stop")
  @Operation(summary = "Stop a running job at its next chunk boundary (it can be restarted)")
  public ResponseEntity<JobAccepted> stop(@PathVariable long id) {
    submitter.stop(id);
    return accepted(id);
  }

  private ResponseEntity<JobAccepted> start(Launch launch) {
    String replaces = submitter.previousOutput(launch)
        .map(job -> launch.target().substring(launch.target().indexOf(':') + 1) + ", the output of job " + job + " (same owner)")
        .orElse(null);
    return accepted(submitter.submit(launch), replaces);
  }

  private ResponseEntity<JobAccepted> accepted(long id) {
    return accepted(id, null);
  }

  private ResponseEntity<JobAccepted> accepted(long id, String replaces) {
    JobView v = views.view(id);
    URI href = URI.create("/api/v1/jobs/" + id);
    return ResponseEntity.accepted().location(href).body(new JobAccepted(id, v.job(), v.status(), href.toString(), replaces));
  }
}
