package dev.tessera.batch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.batch.testing.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fence rule on a real (DuckDB) warehouse: a holding's write commits while its epoch is the
 * slice's current one, and is rolled back, row and all, once a later holding (a take-over, a
 * restart's run of the slice) has taken the next epoch. The same check on PostgreSQL, with a take
 * racing a chunk in flight: PartitionFenceIT.
 */
class PartitionFenceTest {
  static final TableName OUT = new TableName(null, "fenced_out");
  static final List<OutColumn> COLUMNS = List.of(new OutColumn("k", ColumnKind.BIGINT));
  static Warehouse warehouse;
  static PartitionFence fence;

  @BeforeAll
  static void open() {
    warehouse = Warehouse.duckDb(Path.of("target/unit-warehouses/" + UUID.randomUUID() + ".duckdb"), "256MB", 1, null, 100);
    fence = new PartitionFence(warehouse);
    OutputTables.createOrVerify(warehouse, OUT, COLUMNS);
  }

  @AfterAll
  static void close() {
    warehouse.close();
  }

  @AfterEach
  void release() {
    PartitionFence.release();
  }

  /** Appends one row with key {@code k} as the holding bound to this thread; returns the rows committed. */
  private static long write(long k) {
    try (ChunkWriter w = new ChunkWriter(warehouse, OUT, COLUMNS)) {
      w.append(new Object[] {k});
      return w.commit();
    }
  }

  private static long rows(long k) {
    return Tables.count(warehouse, "SELECT count(*) FROM fenced_out WHERE k = " + k);
  }

  @Test
  void eachHoldingOfASliceTakesTheNextEpoch() {
    assertThat(fence.take(1, "job.compute.partition:partition0").epoch()).isEqualTo(1);
    assertThat(fence.take(1, "job.compute.partition:partition0").epoch()).isEqualTo(2);
    assertThat(fence.take(1, "job.compute.partition:partition1").epoch()).as("another slice has its own").isEqualTo(1);
    assertThat(fence.take(2, "job.compute.partition:partition0").epoch()).as("another job instance too").isEqualTo(1);
  }

  @Test
  void theCurrentHoldingsWriteCommits() {
    PartitionFence.hold(fence.take(10, "s"));
    assertThat(write(101)).isEqualTo(1);
    assertThat(rows(101)).isEqualTo(1);
  }

  @Test
  void aSupersededHoldingsWriteIsRolledBack() {
    PartitionFence.Holding old = fence.take(11, "s");
    PartitionFence.Holding taker = fence.take(11, "s");
    PartitionFence.hold(old);
    assertThatThrownBy(() -> write(111)).isInstanceOf(PartitionFence.FencedException.class)
        .hasMessageContaining("partition fence").hasMessageContaining("epoch " + old.epoch());
    assertThat(rows(111)).as("the old holder's row is not written").isZero();

    PartitionFence.hold(taker);
    assertThat(write(112)).isEqualTo(1);
    assertThat(rows(112)).isEqualTo(1);
  }

  @Test
  void aSupersededHoldingCannotClearEither() {
    Tables.execute(warehouse, "INSERT INTO fenced_out VALUES (121)");
    PartitionFence.Holding old = fence.take(12, "s");
    fence.take(12, "s");
    PartitionFence.hold(old);
    assertThatThrownBy(() -> OutputTables.update(warehouse, "DELETE FROM fenced_out WHERE k = ?", List.of(121L), "clearing"))
        .isInstanceOf(PartitionFence.FencedException.class);
    assertThat(rows(121)).as("the current holder's rows stay").isEqualTo(1);
  }

  @Test
  void withoutAHoldingWritesAreNotFenced() {
    assertThat(write(131)).isEqualTo(1);
  }
}
