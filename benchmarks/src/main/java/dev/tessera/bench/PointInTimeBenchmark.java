package dev.tessera.bench;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.agg.row.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Point-in-time backfill on one core, sorting included: unsorted events of many keys in, one query
 * per event (a training set: each event gets the features as of its own time), values out.
 * Issue target: 10M events / 100k keys with 1h/24h/7d SUM, COUNT and AVG at >= 2M events/s.
 * Reported as seconds per run; events/s = events / that.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-XX:+UseParallelGC"})
public class PointInTimeBenchmark {
  @Param({"10000000"})
  int events;

  @Param({"100000"})
  int keys;

  CompiledGroupBy groupBy;
  List<Row> rows;

  @Setup
  public void setUp() {
    groupBy = BenchGroupBys.sumCountAvg();
    rows = BenchGroupBys.rows(events, keys, 30, 42);
  }

  @Benchmark
  public void trainingSetOneQueryPerEvent(Blackhole bh) {
    int keyColumn = groupBy.keyColumns()[0];
    Map<Object, List<Row>> byKey = new HashMap<>(keys * 2);
    for (Row r : rows) {
      byKey.computeIfAbsent(r.get(keyColumn), k -> new ArrayList<>()).add(r);
    }
    PointInTime pit = new PointInTime(groupBy);
    for (List<Row> entity : byKey.values()) {
      PointInTime.sortByTime(entity);
      long[] times = new long[entity.size()];
      for (int i = 0; i < times.length; i++) times[i] = entity.get(i).ts();
      pit.compute(entity, times, (i, t, values) -> bh.consume(values));
    }
  }
}
