package dev.tessera.agg.op;

/**
 * An aggregator that can take an input back out: {@code retract(update(ir, x), x)} leaves an IR
 * that finishes to the same value as {@code ir} (exactly for counts and integral sums, up to
 * rounding for floating sums and means).
 */
public interface Reversible<I, IR, O> extends Aggregator<I, IR, O> {
  void retract(IR ir, I input, long ts);
}
