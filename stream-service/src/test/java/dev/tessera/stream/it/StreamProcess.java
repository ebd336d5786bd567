package dev.tessera.stream.it;

import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.testkit.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream-service process, the application as it ships in a JVM of its own (its log in
 * {@code target/<name>.log}), for the tests that kill or stop a service: it is up when
 * {@code /actuator/health} answers.
 *
 * @param process the JVM
 * @param port where it listens
 * @param http a writer's client of it
 * @param log its output
 */
record StreamProcess(Process process, int port, Http http, File log) {
  static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  /**
   * Starts the service against a broker, with writes checked by {@code registryUrl}, and waits until it answers.
   *
   * @param extraArgs further {@code --property=value} arguments
   */
  static StreamProcess start(String bootstrap, String registryUrl, Path stateDir, String logName, String... extraArgs) {
    int port = ChildJvm.freePort();
    List<String> args = new ArrayList<>(List.of("--server.port=" + port,
        "--spring.kafka.bootstrap-servers=" + bootstrap,
        "--tessera.stream.state-dir=" + stateDir.toAbsolutePath(),
        "--tessera.security.registry-url=" + registryUrl));
    args.addAll(List.of(extraArgs));
    List<String> cmd = ChildJvm.command(List.of("-Xmx384m"), "dev.tessera.stream.StreamApplication", args);
    File log = Path.of("target", logName + ".log").toFile();
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StreamProcess started = new StreamProcess(p, port, new Http(port), log);
    boolean up = eventually(START_TIMEOUT, () -> {
      try {
        return started.http.get("/actuator/health").status() == 200;
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    if (!up) p.destroyForcibly();
    assertThat(up).as("%s is up (log: %s)", logName, log).isTrue();
    return started;
  }
}
