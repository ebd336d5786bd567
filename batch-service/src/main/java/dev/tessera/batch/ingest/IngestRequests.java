package dev.tessera.batch.ingest;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.definition.Query;
import dev.tessera.agg.definition.Source;
import dev.tessera.agg.expr.SourceCompiler;
import dev.tessera.batch.jobs.JobParameterNames;
import dev.tessera.batch.jobs.FieldProblem;
import dev.tessera.batch.jobs.Launch;
import dev.tessera.batch.jobs.RequestSupport;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.support.LiveGroupBy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/** Validates an ingest request and turns it into a launch. */
public final class IngestRequests {
  /** Job parameter values hold at most 2500 characters (Spring Batch's schema). */
  static final int MAX_SCHEMA_JSON = 2400;

  private final RequestSupport support;
  private final Job job;

  IngestRequests(RequestSupport support, Job job) {
    this.support = support;
    this.job = job;
  }

  public Launch launch(IngestRequest r) {
    List<FieldProblem> problems = new ArrayList<>();
    if (r.topic() == null || r.topic().isBlank()) problems.add(new FieldProblem("topic", "is required"));
    String mode = r.mode() == null ? "bounded" : r.mode().trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("bounded") && !mode.equals("continuous")) {
      problems.add(new FieldProblem("mode", "must be 'bounded' or 'continuous', was '" + r.mode() + "'"));
    }
    IngestFormat format = IngestFormat.parse(r.format());
    if (format == null) {
      problems.add(new FieldProblem("format", "must be 'events', 'feature-log' or 'dead-letter', was '" + r.format() + "'"));
      format = IngestFormat.EVENTS;
    }
    Map<String, DataType> schema = new LinkedHashMap<>();
    String timeColumn = r.timeColumn();
    String tableName = r.table();
    if (format != IngestFormat.EVENTS) {
      if (r.groupBy() != null || r.schema() != null || r.timeColumn() != null) {
        problems.add(new FieldProblem("format", "a " + format.spec() + " has fixed columns: give neither groupBy, schema nor timeColumn"));
      }
      timeColumn = format.timeColumn();
      if (tableName == null) tableName = format.defaultTable();
    } else if (r.groupBy() != null && !r.groupBy().isBlank()) {
      LiveGroupBy g = support.groupBy(r.groupBy());
      EventSource source = null;
      for (Source s : g.published().definition().sources()) {
        if (s instanceof EventSource es && r.topic() != null && r.topic().trim().equals(es.topic())) source = es;
      }
      if (source == null) {
        problems.add(new FieldProblem("topic", g.name() + " has no source reading topic '" + r.topic() + "'"));
      } else {
        schema.putAll(source.schema());
        if (timeColumn == null) timeColumn = source.query().timeColumn();
        if (tableName == null) tableName = source.table();
      }
      if (r.schema() != null) problems.add(new FieldProblem("schema", "give either groupBy or schema, not both"));
    } else if (r.schema() == null || r.schema().isEmpty()) {
      problems.add(new FieldProblem("schema", "is required without groupBy: column -> type (STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN, LIST<T>, MAP<STRING,T>)"));
    } else {
      r.schema().forEach((column, type) -> {
        try {
          schema.put(column, DataType.parse(type));
        } catch (IllegalArgumentException e) {
          problems.add(new FieldProblem("schema." + column, e.getMessage()));
        }
      });
      if (timeColumn == null || timeColumn.isBlank()) problems.add(new FieldProblem("timeColumn", "is required with a schema"));
    }
    TableName table = null;
    try {
      table = TableName.parse(tableName);
    } catch (IllegalArgumentException e) {
      problems.add(new FieldProblem("table", e.getMessage()));
    }
    if (table != null && r.topic() != null) support.checkWritable("table", table, r.topic().trim(), problems);
    if (format == IngestFormat.EVENTS && table != null && !schema.isEmpty() && timeColumn != null) {
      var compiled = SourceCompiler.compile(new EventSource(table.toString(), r.topic(), schema, Query.allColumns(timeColumn)), "$");
      compiled.problems().forEach(p -> problems.add(new FieldProblem(p.path().contains("timeColumn") ? "timeColumn" : "schema", p.message())));
      for (String reserved : List.of(IngestPlan.META_TOPIC, IngestPlan.META_PARTITION, IngestPlan.META_OFFSET, IngestPlan.META_TIMESTAMP)) {
        if (schema.containsKey(reserved)) problems.add(new FieldProblem("schema", "column name " + reserved + " is reserved"));
      }
    }
    String schemaJson = IngestPlan.schemaJson(schema);
    if (schemaJson.length() > MAX_SCHEMA_JSON) problems.add(new FieldProblem("schema", "is too large (" + schemaJson.length() + " characters)"));
    String target = table == null ? "table:?" : "table:" + table.key();
    JobParametersBuilder params = support.parameters(null, target, 1, null, null, problems);
    // one topic per table: ingesting another topic into a table is refused when the job starts
    if (r.topic() != null) params.addString(JobParameterNames.OWNER, "ingest:" + r.topic().trim(), false);
    RequestSupport.throwIfAny(problems);
    params.addString(IngestPlan.TOPIC, r.topic().trim(), false)
        .addString(IngestPlan.TABLE, table.toString(), false)
        .addString(IngestPlan.SCHEMA, schemaJson, false)
        .addString(IngestPlan.TIME, timeColumn.trim(), false)
        .addString(IngestPlan.MODE, mode, false)
        .addString(IngestPlan.FORMAT, format.spec(), false);
    return new Launch(job, params.toJobParameters(), target, null);
  }
}
