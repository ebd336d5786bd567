package dev.tessera.batch.jobs;

import dev.tessera.batch.read.ReadStats;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The job-wide limit on rejected rows (absolute and as a fraction of the rows read). Rows are
 * rejected for a null key, a value of the wrong type, a missing time or a CEL error; under the limit
 * they are skipped and reported, over it the job fails (after its partitions ran, since the fraction
 * is only known then; an absolute limit already stops a partition that alone exceeds it).
 */
public record RejectLimits(long maxRows, double maxFraction) {

  public static RejectLimits of(JobParameters params) {
    Long rows = params.getLong(JobParameterNames.MAX_REJECTED_ROWS);
    Double fraction = params.getDouble(JobParameterNames.MAX_REJECTED_FRACTION);
    return new RejectLimits(rows == null ? -1 : rows, fraction == null ? 1.0 : fraction);
  }

  /** @throws TooManyRejectionsException when {@code stats} exceed a limit */
  public void check(ReadStats stats) {
    if (maxRows >= 0 && stats.rejected() > maxRows) {
      throw new TooManyRejectionsException(stats.rejected() + " of " + stats.read() + " rows were rejected, more than the limit of "
          + maxRows + " (maxRejectedRows); reasons: " + stats.reasons());
    }
    if (stats.read() > 0 && (double) stats.rejected() / stats.read() > maxFraction) {
      throw new TooManyRejectionsException(stats.rejected() + " of " + stats.read() + " rows were rejected ("
          + String.format("%.4f", (double) stats.rejected() / stats.read()) + "), more than the limit of " + maxFraction
          + " (maxRejectedFraction); reasons: " + stats.reasons());
    }
  }
}
