package dev.tessera.batch.output;

import dev.tessera.batch.api.JobView;
import dev.tessera.batch.api.JobViews;
import dev.tessera.batch.jobs.InvalidRequestException;
import dev.tessera.batch.jobs.JobStateException;
import dev.tessera.batch.warehouse.TableName;
import dev.tessera.batch.warehouse.Warehouse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which warehouse table a finished job's output is. The name always comes from the job's own
 * recorded result ({@code outputTable} of a backfill or training set, {@code reportTable} and
 * {@code samplesTable} of a consistency check), never from the request: a caller picks one of the
 * job's tables by its role, so a download can only ever read what a job wrote.
 */
public final class JobOutputs {
  /** Result field -> the role a caller names it by; the first a job has is its default. */
  private static final List<Map.Entry<String, String>> ROLES =
      List.of(Map.entry("outputTable", "output"), Map.entry("reportTable", "report"), Map.entry("samplesTable", "samples"));

  private final JobViews views;
  private final Warehouse warehouse;

  public JobOutputs(JobViews views, Warehouse warehouse) {
    this.views = views;
    this.warehouse = warehouse;
  }

  /**
   * The table to download.
   *
   * @param role {@code output}, {@code report} or {@code samples}; null for the job's first table
   * @throws dev.tessera.batch.jobs.UnknownJobException no such job (404)
   * @throws JobStateException the job has not completed, wrote no table, or its table is gone (409)
   */
  public TableName table(long id, String role) {
    JobView job = views.view(id);
    if (!"COMPLETED".equals(job.status())) {
      throw new JobStateException("job " + id + " (" + job.job() + ") is " + job.status() + ": its output can be read once it has COMPLETED");
    }
    Map<String, String> tables = tables(job.result());
    if (tables.isEmpty()) {
      throw new JobStateException("job " + id + " (" + job.job() + ") wrote no warehouse table: only backfill, training-set and"
          + " consistency jobs have an output to download");
    }
    String name = role == null || role.isBlank() ? tables.values().iterator().next() : tables.get(role.trim());
    if (name == null) throw new InvalidRequestException("table", "job " + id + " has the tables " + tables.keySet() + ", not '" + role + "'");
    TableName table = TableName.parse(name);
    if (!warehouse.exists(table)) {
      throw new JobStateException("the output table " + table + " of job " + id + " is no longer in the warehouse");
    }
    return table;
  }

  /** role -> table name of what the job recorded, in the order of ROLES. */
  static Map<String, String> tables(Map<String, Object> result) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> role : ROLES) {
      if (result != null && result.get(role.getKey()) instanceof String s && !s.isBlank()) out.put(role.getValue(), s);
    }
    return out;
  }
}
