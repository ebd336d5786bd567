package dev.tessera.agg.testkit;

import java.util.stream.LongStream;

/**
 * Seeds for the randomized property tests. Each test case gets its own seed and prints it on
 * failure; {@code -Dtessera.seed=N} replays one seed, {@code -Dtessera.tries=N} runs more cases.
 */
public final class Seeds {
  private Seeds() {}

  public static LongStream of(int defaultTries) {
    String seed = System.getProperty("tessera.seed");
    if (seed != null) return LongStream.of(Long.parseLong(seed));
    int tries = Integer.getInteger("tessera.tries", defaultTries);
    long base = 0x7E55E4AL;
    return LongStream.range(0, tries).map(i -> base + i * 0x9E3779B97F4A7C15L);
  }
}
