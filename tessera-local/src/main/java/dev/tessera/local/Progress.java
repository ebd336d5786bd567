package dev.tessera.local;

import java.io.PrintStream;

/** Progress lines on the console, each with the seconds since the start: {@code [ 12s] message}. */
final class Progress {
  private final PrintStream out;
  private final long t0 = System.nanoTime();

  Progress(PrintStream out) {
    this.out = out;
  }

  long seconds() {
    return (System.nanoTime() - t0) / 1_000_000_000L;
  }

  void step(String message) {
    out.printf("[%3ds] %s%n", seconds(), message);
    out.flush();
  }

  void detail(String message) {
    out.printf("       %s%n", message);
    out.flush();
  }

  PrintStream out() {
    return out;
  }
}
