package dev.tessera.registry.system;

import java.util.function.Supplier;

/** Gauges that read the database at scrape time: a failed read is NaN (no value), never an exception in the scrape. */
public final class Gauges {
  private Gauges() {}

  public static double safely(Supplier<? extends Number> read) {
    try {
      return read.get().doubleValue();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
