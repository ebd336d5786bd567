package dev.tessera.batch.output;

import dev.tessera.batch.api.JobViews;
import dev.tessera.batch.read.StreamedQuery;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * {@code GET /api/v1/jobs/{id}/output}: a finished job's table, streamed from the warehouse as CSV
 * or JSON lines, so a notebook reads a training set over HTTP without a database driver.
 */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "jobs")
public class JobOutputController {
  private static final Logger log = LoggerFactory.getLogger(JobOutputController.class);

  private final JobOutputs outputs;
  private final Warehouse warehouse;

  public JobOutputController(JobViews views, Warehouse warehouse) {
    this.outputs = new JobOutputs(views, warehouse);
    this.warehouse = warehouse;
  }

  @GetMapping(path = "/{id}/output", produces = {"text/csv", "application/x-ndjson", "application/problem+json"})
  @Operation(summary = "Download a completed job's output table (training set, backfill snapshots, consistency report), streamed",
      description = "CSV (a header row, RFC 4180; SQL NULL is an empty field) or JSON lines (one object per row). Lists and maps"
          + " are JSON text, dates ISO-8601. The table is the one the job recorded (its result), as it is in the warehouse now.")
  @ApiResponse(responseCode = "200", description = "the rows", content = {@Content(mediaType = "text/csv"),
      @Content(mediaType = "application/x-ndjson")})
  @ApiResponse(responseCode = "404", description = "unknown job", content = @Content(mediaType = "application/problem+json"))
  @ApiResponse(responseCode = "409", description = "the job has not completed, wrote no table, or its table is gone",
      content = @Content(mediaType = "application/problem+json"))
  public ResponseEntity<StreamingResponseBody> output(@PathVariable long id,
      @Parameter(description = "csv or jsonl") @RequestParam(defaultValue = "csv") String format,
      @Parameter(description = "which of the job's tables: output (default), or a consistency job's report or samples")
      @RequestParam(required = false) String table) {
    OutputFormat f = OutputFormat.parse(format);
    TableName name = outputs.table(id, table);
    String sql = "SELECT * FROM " + warehouse.dialect().table(name);
    StreamingResponseBody body = out -> {
      try (StreamedQuery q = StreamedQuery.open(warehouse, sql, List.of())) {
        long rows = RowWriter.write(q.rows(), f, out);
        log.info("job {} output {} sent as {}: {} rows", id, name, f, rows);
      } catch (SQLException e) {
        // the status line is gone already: the client sees a cut-off body, the log says why
        throw new WarehouseException("cannot read the output table " + name + " of job " + id, e);
      }
    };
    String file = name.name() + (f == OutputFormat.CSV ? ".csv" : ".jsonl");
    return ResponseEntity.ok().contentType(MediaType.parseMediaType(f.mediaType() + ";charset=UTF-8"))
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"").body(body);
  }
}
