package dev.tessera.agg.op;

import dev.tessera.agg.codec.ByteSink;
import dev.tessera.agg.codec.ByteSource;

/**
 * One operation's IR lifecycle (after Chronon's aggregators, with typed IRs). An IR is a mutable
 * partial aggregate owned by the caller: {@link #update} folds one input into it, {@link #merge}
 * folds another IR into it, {@link #finish} turns it into the feature value without changing it.
 *
 * <p>Laws every implementation keeps (tested for all operations): merge is associative and
 * commutative up to floating-point rounding; merging an empty IR changes nothing; the encoding
 * round-trips; {@code finish(empty)} is the empty result of DESIGN.md (0 for counts, an empty map
 * for histograms, null otherwise).
 *
 * @param <I> input value type (Long, Double, String, Boolean or any for COUNT)
 * @param <IR> the partial aggregate
 * @param <O> the finished value
 */
public interface Aggregator<I, IR, O> {

  IR newIr();

  /** Folds one non-null input observed at event time {@code ts} into {@code ir}. */
  void update(IR ir, I input, long ts);

  /** Folds {@code other} into {@code into}; {@code other} is left unchanged. */
  void merge(IR into, IR other);

  O finish(IR ir);

  boolean isEmpty(IR ir);

  /** Makes {@code ir} empty again, keeping its allocations for reuse. */
  void clear(IR ir);

  IR copy(IR ir);

  void write(IR ir, ByteSink out);

  IR read(ByteSource in);

  /**
   * Folds an encoded IR (what {@link #write} wrote) into {@code into}, as {@code merge(into,
   * read(in))} would. Operations with small IRs override it to merge straight from the bytes:
   * the fetcher merges hundreds of tiles per entity and must not allocate for each.
   */
  default void mergeEncoded(IR into, ByteSource in) {
    merge(into, read(in));
  }

  /** Reads past an encoded IR without using it. */
  default void skipEncoded(ByteSource in) {
    read(in);
  }
}
