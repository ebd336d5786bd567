package dev.tessera.batch.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.batch.testing.Postgres;
import dev.tessera.batch.testing.Tables;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The fence on PostgreSQL, the warehouse of remote partitioning, where holders are different
 * processes: a take that comes while the old holder's chunk is in flight (checked, not committed)
 * waits for that chunk, so the new holder's clearing, which follows its take, sees the chunk and
 * removes it; and a chunk checked after the take is refused. Either way nothing of the old holder
 * survives past the new holder's checkpoint.
 */
@EnabledIf(value = "dev.tessera.batch.testing.Postgres#reachable", disabledReason = "PostgreSQL is not reachable at 127.0.0.1:5432")
class PartitionFenceIT {
  static final String SCHEMA = Postgres.newSchema("fence_");
  static Warehouse warehouse;
  static PartitionFence fence;

  @BeforeAll
  static void open() {
    Postgres.execute("CREATE SCHEMA " + SCHEMA);
    warehouse = Warehouse.postgres(Postgres.URL + "?currentSchema=" + SCHEMA, Postgres.USER, "", 4, 100);
    fence = new PartitionFence(warehouse);
    Tables.execute(warehouse, "CREATE TABLE out (k BIGINT)");
  }

  @AfterAll
  static void close() {
    if (warehouse != null) warehouse.close();
    Postgres.dropSchema(SCHEMA);
  }

  @Test
  void aTakeWaitsForTheChunkInFlightAndTheClearingAfterItRemovesThatChunk() throws Exception {
    PartitionFence.Holding old = fence.take(1, "s");
    try (Connection chunk = warehouse.begin(); Statement s = chunk.createStatement()) {
      s.executeUpdate("INSERT INTO out VALUES (1)");
      PartitionFence.check(chunk, old);
      CompletableFuture<PartitionFence.Holding> taking = CompletableFuture.supplyAsync(() -> fence.take(1, "s"));
      Thread.sleep(500);
      assertThat(taking).as("the take waits for the chunk in flight").isNotDone();
      chunk.commit();
      assertThat(taking.get(10, TimeUnit.SECONDS).epoch()).isEqualTo(old.epoch() + 1);
    }
    // the new holder's clearing of output past its checkpoint, after its take, sees the old holder's chunk
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM out WHERE k = 1")).isEqualTo(1);
  }

  @Test
  void aChunkCheckedAfterTheTakeIsRolledBack() throws Exception {
    PartitionFence.Holding old = fence.take(2, "s");
    fence.take(2, "s");
    try (Connection chunk = warehouse.begin(); Statement s = chunk.createStatement()) {
      s.executeUpdate("INSERT INTO out VALUES (2)");
      assertThatThrownBy(() -> PartitionFence.check(chunk, old)).isInstanceOf(PartitionFence.FencedException.class);
    }
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM out WHERE k = 2")).isZero();
  }

  @Test
  void holdingsTakenAtOnceGetDistinctEpochs() {
    List<CompletableFuture<Long>> takes = java.util.stream.IntStream.range(0, 8)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> fence.take(3, "s").epoch())).toList();
    assertThat(takes.stream().map(CompletableFuture::join).distinct().count()).isEqualTo(8);
  }
}
