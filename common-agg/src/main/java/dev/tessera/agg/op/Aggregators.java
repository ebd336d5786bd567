package dev.tessera.agg.op;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.definition.Operation;
import java.util.Map;

/** Creates the aggregator of an operation for an input type. The only public way to get one. */
public final class Aggregators {
  private Aggregators() {}

  /**
   * @throws IllegalArgumentException when the operation does not take the type or the arguments
   *     are invalid (the compiler reports these with paths before this is ever reached)
   */
  public static Aggregator<?, ?, ?> create(Operation op, DataType inputType, Map<String, String> args) {
    if (!op.accepts(inputType)) {
      throw new IllegalArgumentException(op + " needs " + op.acceptedDescription() + ", not " + inputType.spec());
    }
    var problems = OperationArgs.problems(op, args);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems.values()));
    }
    return switch (op) {
      case SUM -> inputType.isIntegral() ? new LongSum() : new DoubleSum();
      case COUNT -> new Count();
      case AVG -> new Average();
      case MIN -> Extreme.min();
      case MAX -> Extreme.max();
      case VARIANCE -> new Moments(Moments.Statistic.VARIANCE);
      case STDDEV -> new Moments(Moments.Statistic.STDDEV);
      case SKEW -> new Moments(Moments.Statistic.SKEW);
      case KURTOSIS -> new Moments(Moments.Statistic.KURTOSIS);
      case FIRST -> FirstLast.first();
      case LAST -> FirstLast.last();
      case FIRST_K -> KeepK.firstK(OperationArgs.k(op, args));
      case LAST_K -> KeepK.lastK(OperationArgs.k(op, args));
      case TOP_K -> KeepK.topK(OperationArgs.k(op, args));
      case BOTTOM_K -> KeepK.bottomK(OperationArgs.k(op, args));
      case UNIQUE_COUNT -> new UniqueCount();
      case APPROX_UNIQUE_COUNT -> new ApproxUniqueCount(OperationArgs.lgK(args));
      case APPROX_PERCENTILE -> new ApproxPercentile(OperationArgs.k(op, args), OperationArgs.percentiles(args.get("percentiles")));
      case HISTOGRAM -> new Histogram();
      case APPROX_HISTOGRAM_K -> new ApproxHistogramK(OperationArgs.k(op, args));
      case BOUNDED_UNIQUE_COUNT -> new BoundedUniqueCount(OperationArgs.k(op, args));
    };
  }
}
