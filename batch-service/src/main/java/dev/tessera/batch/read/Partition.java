package dev.tessera.batch.read;

/** Slice {@code index} of {@code count}: the entities whose key hashes to it (see SqlDialect#partitionOf). */
public record Partition(int index, int count) {
  public Partition {
    if (count < 1) throw new IllegalArgumentException("partition count must be at least 1, was " + count);
    if (index < 0 || index >= count) throw new IllegalArgumentException("partition " + index + " is not in [0, " + count + ")");
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
