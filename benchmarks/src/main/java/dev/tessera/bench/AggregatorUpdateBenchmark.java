package dev.tessera.bench;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.Operation;
import dev.tessera.agg.op.Aggregator;
import dev.tessera.agg.op.Aggregators;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Updates per second of one aggregator folding a stream of doubles (or strings for LAST_K...).
 * Updates go round-robin to {@code IRS} IRs, as they spread over keys in a real job: into a single
 * IR the JIT folds a loop of COUNT updates into one addition and reports nonsense.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AggregatorUpdateBenchmark {
  static final int BATCH = 4096;
  static final int IRS = 64;

  @Param({"SUM", "COUNT", "AVG", "VARIANCE", "LAST_K", "TOP_K", "UNIQUE_COUNT", "APPROX_UNIQUE_COUNT", "APPROX_PERCENTILE"})
  String operation;

  Aggregator<Object, Object, Object> aggregator;
  Object[] irs;
  Object[] values;
  long[] times;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    Operation op = Operation.valueOf(operation);
    boolean strings = op == Operation.LAST_K || op == Operation.UNIQUE_COUNT || op == Operation.APPROX_UNIQUE_COUNT;
    DataType type = strings ? DataType.Primitive.STRING : DataType.Primitive.DOUBLE;
    Map<String, String> args = op == Operation.APPROX_PERCENTILE ? Map.of("percentiles", "0.5,0.99") : Map.of();
    aggregator = (Aggregator<Object, Object, Object>) Aggregators.create(op, type, args);
    irs = new Object[IRS];
    for (int i = 0; i < IRS; i++) irs[i] = aggregator.newIr();
    SplittableRandom r = new SplittableRandom(7);
    values = new Object[BATCH];
    times = new long[BATCH];
    long ts = 1_717_200_000_000L;
    for (int i = 0; i < BATCH; i++) {
      values[i] = strings ? "merchant_" + r.nextInt(500) : (Object) (r.nextDouble() * 100);
      ts += r.nextInt(60_000);
      times[i] = ts;
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object[] update() {
    Object[] v = values;
    long[] t = times;
    Object[] target = irs;
    for (int i = 0; i < BATCH; i++) aggregator.update(target[i & (IRS - 1)], v[i], t[i]);
    return target;
  }
}
