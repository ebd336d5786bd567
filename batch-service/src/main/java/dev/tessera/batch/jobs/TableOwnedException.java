package dev.tessera.batch.jobs;

/** The table a job would write belongs to another owner's job (answered with 409, naming that job). */
public class TableOwnedException extends RuntimeException {
  private final long ownerJobId;

  public TableOwnedException(String table, long ownerJobId, String owner) {
    super("table " + table + " is the output of job " + ownerJobId + " (" + owner + "); a job may replace only its own output: choose another table");
    this.ownerJobId = ownerJobId;
  }

  public long ownerJobId() {
    return ownerJobId;
  }
}
