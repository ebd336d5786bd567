package dev.tessera.stream.jobs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** DESIGN.md "REST APIs", stream: start, list, inspect and stop streaming jobs. */
@RestController
@RequestMapping("/api/v1/streaming-jobs")
@Tag(name = "Streaming jobs", description = "Kafka Streams jobs that tile live events of online GroupBys into Redis")
class StreamingJobController {
  private final StreamingJobs jobs;

  StreamingJobController(StreamingJobs jobs) {
    this.jobs = jobs;
  }

  /** The list body: {@code {"jobs": [...]}}. */
  record JobList(List<JobView> jobs) {}

  @PostMapping
  @Operation(summary = "Start the streaming job of a GroupBy's live version",
      description = "404 when the GroupBy is not live, 400 when it is not online, 409 when its job already runs.")
  ResponseEntity<JobView> create(@RequestBody JobRequest request) {
    StreamingJob job = jobs.create(request.groupBy());
    return ResponseEntity.created(URI.create("/api/v1/streaming-jobs/" + job.name())).body(JobView.of(job));
  }

  @GetMapping
  @Operation(summary = "Every streaming job on this instance, with state, lag, counts and freshness")
  JobList list() {
    return new JobList(jobs.list().stream().map(JobView::of).toList());
  }

  @GetMapping("/{groupBy}")
  @Operation(summary = "The job of a GroupBy's newest version")
  JobView get(@PathVariable String groupBy) {
    return jobs.get(groupBy).map(JobView::of).orElseThrow(() -> new JobProblem.JobNotFound(groupBy));
  }

  @GetMapping("/{groupBy}/versions/{version}/progress")
  @Operation(summary = "How far a GroupBy version's job has caught up to a point in time (rollouts)",
      description = "For every source partition: the job's committed offset and the first offset at or after `until` "
          + "(epoch millis, default now). caughtUp: every partition reached, and the job RUNNING here (or, with state "
          + "NOT_ON_THIS_INSTANCE, the offsets alone). 404 when the version is neither live nor pending nor run here.")
  CatchUpProgress progress(@PathVariable String groupBy, @PathVariable int version, @RequestParam(required = false) Long until) {
    return jobs.progress(groupBy, version, until);
  }

  @DeleteMapping("/{groupBy}")
  @Operation(summary = "Stop a GroupBy's streaming job (it stays stopped across restarts and auto-start)")
  JobView stop(@PathVariable String groupBy) {
    return JobView.of(jobs.stop(groupBy));
  }
}
