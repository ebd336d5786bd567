package dev.tessera.batch.jobs;

/** The job parameters every Tessera job records (the job-specific ones live with each job). */
public final class JobParameterNames {
  /** Identifying and unique per request: every POST starts a new job instance; a restart reuses it. */
  public static final String REQUEST_ID = "requestId";
  public static final String GROUP_BY = "groupBy";
  public static final String VERSION = "version";
  /** What the job writes (a table, a Redis version): two running jobs never share one. */
  public static final String TARGET = "target";
  /**
   * Who owns the table a job writes ({@code training-set:groupBy:<name>}, {@code ingest:<topic>}...):
   * a job may replace or append to only a table whose earlier jobs had the same owner.
   */
  public static final String OWNER = "owner";
  public static final String PARTITIONS = "partitions";
  public static final String MAX_REJECTED_ROWS = "maxRejectedRows";
  public static final String MAX_REJECTED_FRACTION = "maxRejectedFraction";
  /** {@code true} when the job's Parquet sources go through the lake shuffle (dev.tessera.batch.shuffle). */
  public static final String LAKE_SHUFFLE = "lakeShuffle";
  public static final String REQUESTED_AT = "requestedAt";
  /**
   * The partitioned steps of a job whose partitions are not simply {@code <job>.compute} x
   * {@code partitions}, as {@code step=count;step=count} (the status endpoint reads their checkpoints).
   */
  public static final String PARTITIONED_STEPS = "partitionedSteps";

  private JobParameterNames() {}
}
