package dev.tessera.batch.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The fencing token of partition holdings, kept in the warehouse (the database whose transactions
 * hold the output rows; the job repository may be another one). A partition's slice (its job
 * instance and step name, the same over restarts) has an epoch; each holding of it (a first run, a
 * take-over by another worker, the run of a restarted job) takes the next one with {@link #take},
 * atomically, and every write of the holding commits through {@link #commit}, which checks, in the
 * same transaction as the rows, that the holding's epoch is still the slice's. A holder that was
 * cut off (its group membership lost, its process paused) and resumes after another took the slice
 * over has its chunk rolled back instead of written beside the new holder's.
 *
 * <p>The check updates the fence row (to its own value): on PostgreSQL that row lock is held until
 * the chunk commits, so a take waits for a chunk in flight, and the new holder's clearing of output
 * after the checkpoint, which comes after its take, sees that chunk and removes it. A chunk either
 * commits before the take (and is cleared) or is refused: never written after the clearing.
 *
 * <p>The holding of the partition running on a thread is bound to it ({@link #hold}) for the
 * partition's step, so every writer the partition's output uses is fenced without being told.
 */
public final class PartitionFence {
  /** The fence table in the warehouse: one row per partition slice. */
  public static final String TABLE = "tessera_partition_fence";
  private static final ThreadLocal<Holding> HELD = new ThreadLocal<>();

  private final Warehouse warehouse;

  /** Creates the fence table if it is missing. */
  public PartitionFence(Warehouse warehouse) {
    this.warehouse = warehouse;
    try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE
          + " (job_instance BIGINT NOT NULL, step VARCHAR(250) NOT NULL, epoch BIGINT NOT NULL, PRIMARY KEY (job_instance, step))");
    } catch (SQLException e) {
      // two processes starting at once may both create it (PostgreSQL's IF NOT EXISTS is not atomic): the other's is as good
      if (!exists()) throw new WarehouseException("cannot create the partition fence table " + TABLE, e);
    }
  }

  private boolean exists() {
    try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
      s.executeQuery("SELECT count(*) FROM " + TABLE).close();
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** One holding of a slice: the epoch its writes must find. */
  public record Holding(long jobInstance, String step, long epoch) {}

  /** Takes the next epoch of the slice, superseding every earlier holding of it; committed before it returns. */
  public Holding take(long jobInstance, String step) {
    Connection c = warehouse.begin();
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (job_instance, step, epoch) VALUES (?, ?, 1) "
        + "ON CONFLICT (job_instance, step) DO UPDATE SET epoch = " + TABLE + ".epoch + 1 RETURNING epoch")) {
      ps.setLong(1, jobInstance);
      ps.setString(2, step);
      long epoch;
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        epoch = rs.getLong(1);
      }
      c.commit();
      return new Holding(jobInstance, step, epoch);
    } catch (SQLException e) {
      Warehouse.rollbackQuietly(c);
      throw new WarehouseException("taking the fence of " + step + " (job instance " + jobInstance + ") failed", e);
    } finally {
      Warehouse.closeQuietly(c);
    }
  }

  /** Binds {@code holding} to this thread until {@link #release}: the partition's writes on it are fenced by it. */
  public static void hold(Holding holding) {
    HELD.set(holding);
  }

  public static void release() {
    HELD.remove();
  }

  /**
   * Commits {@code c}, after checking (in its transaction) that the holding bound to this thread, if
   * any, is still current; when it is not, rolls back and throws {@link FencedException}.
   */
  public static void commit(Connection c) throws SQLException {
    Holding h = HELD.get();
    if (h != null) check(c, h);
    c.commit();
  }

  /** Fails with {@link FencedException} (after rolling {@code c} back) unless {@code h} is the slice's current holding. */
  static void check(Connection c, Holding h) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE " + TABLE + " SET epoch = epoch WHERE job_instance = ? AND step = ? AND epoch = ?")) {
      ps.setLong(1, h.jobInstance());
      ps.setString(2, h.step());
      ps.setLong(3, h.epoch());
      if (ps.executeUpdate() == 1) return;
    }
    c.rollback();
    throw new FencedException(h);
  }

  /** A write of a superseded holding: the slice was taken over, or its job restarted, since this holding began. */
  public static final class FencedException extends WarehouseException {
    public FencedException(Holding h) {
      super("partition fence: " + h.step() + " (job instance " + h.jobInstance() + ") is no longer held by epoch " + h.epoch()
          + " (taken over by another worker or run by a restart); this holder's chunk is rolled back and it stops");
    }
  }
}
