package dev.tessera.agg.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A service of the project started as a process of its own by a test (to kill it with SIGKILL, or
 * to run several): the JVM of the test, on the test's classpath, with flags of its own.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /** A port nobody listens on now (the child binds it soon after; a clash is unlikely, not impossible). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The command line: this process's {@code java}, {@code jvm} flags (plus the native-access flags
   * DuckDB, Netty and Kafka need on JDK 25), the test classpath, {@code mainClass} and its {@code args}.
   */
  public static List<String> command(List<String> jvm, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvm);
    cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-cp", System.getProperty("java.class.path"), mainClass));
    cmd.addAll(args);
    return cmd;
  }
}
