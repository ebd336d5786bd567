package dev.tessera.bench;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.pit.PointInTime;
import dev.tessera.agg.row.Row;
import java.util.Arrays;
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
 * Reported as seconds per run; events/s = events / that. "One core" literally:
 * {@code taskset -c 0 java -jar benchmarks.jar PointInTimeBenchmark} puts the benchmark thread,
 * the JIT compilers and the GC on one CPU.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
// A fixed heap with a young generation that holds a run's short-lived garbage: with a growing heap
// the 10M input rows were copied between survivor spaces during the measured runs.
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC"})
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
    // the input lives in the old generation before the clock starts, as a warehouse read's rows would not be garbage
    System.gc();
  }

  @Benchmark
  public void trainingSetOneQueryPerEvent(Blackhole bh) {
    int n = rows.size();
    int keyColumn = groupBy.keyColumns()[0];
    // Group by key with a counting sort over dense key ids: two passes over int arrays instead of
    // a growing list per key.
    Map<Object, Integer> ids = new HashMap<>(keys * 2);
    int[] keyOf = new int[n];
    for (int i = 0; i < n; i++) {
      Integer id = ids.get(rows.get(i).get(keyColumn));
      if (id == null) {
        id = ids.size();
        ids.put(rows.get(i).get(keyColumn), id);
      }
      keyOf[i] = id;
    }
    int[] starts = new int[ids.size() + 1];
    for (int id : keyOf) starts[id + 1]++;
    for (int k = 0; k < ids.size(); k++) starts[k + 1] += starts[k];
    int[] fill = Arrays.copyOf(starts, ids.size());
    Row[] grouped = new Row[n];
    for (int i = 0; i < n; i++) grouped[fill[keyOf[i]]++] = rows.get(i);
    List<Row> all = Arrays.asList(grouped);

    PointInTime pit = new PointInTime(groupBy);
    for (int k = 0; k < ids.size(); k++) {
      List<Row> entity = all.subList(starts[k], starts[k + 1]);
      PointInTime.sortByTime(entity);
      long[] times = new long[entity.size()];
      for (int i = 0; i < times.length; i++) times[i] = entity.get(i).ts();
      pit.compute(entity, times, (i, t, values) -> bh.consume(values));
    }
  }
}
