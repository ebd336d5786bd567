package dev.tessera.batch.consistency;

import dev.tessera.batch.api.JobViews;
import dev.tessera.batch.jobs.InvalidRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The consistency report of a GroupBy or a Join, read-only (the job itself starts at {@code POST /api/v1/jobs/consistency}). */
@RestController
@RequestMapping("/api/v1/consistency")
@Tag(name = "consistency", description = "Online/offline consistency reports")
public class ConsistencyController {
  private final ConsistencyReports reports;
  private final JobViews views;

  public ConsistencyController(ConsistencyReports reports, JobViews views) {
    this.reports = reports;
    this.views = views;
  }

  @GetMapping("/join/{join}")
  @CrossOrigin(methods = org.springframework.web.bind.annotation.RequestMethod.GET)
  @Operation(summary = "Latest consistency run of a Join, mismatch rate per day and column (with its part), per column and per part,"
      + " and mismatch samples")
  public Map<String, Object> joinReport(@PathVariable String join, @RequestParam(defaultValue = "30") int days,
      @RequestParam(defaultValue = "50") int samples) {
    check(days, samples);
    return reports.joinReport(join, days, samples, views);
  }

  private static void check(int days, int samples) {
    if (days < 1 || days > 366) throw new InvalidRequestException("days", "must be between 1 and 366, was " + days);
    if (samples < 0 || samples > 1000) throw new InvalidRequestException("samples", "must be between 0 and 1000, was " + samples);
  }

  @GetMapping("/{groupBy}")
  @CrossOrigin(methods = org.springframework.web.bind.annotation.RequestMethod.GET)
  @Operation(summary = "Latest consistency run of a GroupBy, mismatch rate per day and feature, and mismatch samples")
  public Map<String, Object> report(@PathVariable String groupBy, @RequestParam(defaultValue = "30") int days,
      @RequestParam(defaultValue = "50") int samples) {
    check(days, samples);
    return reports.report(groupBy, days, samples, views);
  }
}
