package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRedisTest {
  @TempDir
  Path tmp;

  private Path executable(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    return Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  @Test
  void valkeyIsPreferredToRedisAnywhereOnThePath() throws Exception {
    executable(tmp.resolve("a"), "redis-server");
    Path valkey = executable(tmp.resolve("b"), "valkey-server");
    String path = tmp.resolve("a") + File.pathSeparator + tmp.resolve("b");
    assertThat(LocalRedis.serverOnPath(path)).contains(valkey);
  }

  @Test
  void aFileThatIsNotExecutableOrAMissingPathFindsNothing() throws Exception {
    Files.createDirectories(tmp.resolve("c"));
    Files.createFile(tmp.resolve("c").resolve("redis-server"));
    assertThat(LocalRedis.serverOnPath(tmp.resolve("c").toString())).isEmpty();
    assertThat(LocalRedis.serverOnPath(null)).isEmpty();
  }

  @Test
  void withoutAServerTheStackStopsWithAnInstallHint() {
    assertThatThrownBy(() -> LocalRedis.startOwn(tmp, tmp.resolve("empty").toString()))
        .hasMessageContaining("neither valkey-server nor redis-server is on the PATH")
        .hasMessageContaining("apt-get install valkey-server").hasMessageContaining("--redis=HOST:PORT");
  }

  @Test
  void theMachinesServerStartsWithItsDataInTheDataFolderAndStopsOnClose() throws Exception {
    assumeTrue(LocalRedis.serverOnPath(System.getenv("PATH")).isPresent(), "no valkey-server or redis-server on the PATH");
    int port;
    try (LocalRedis redis = LocalRedis.startOwn(tmp)) {
      port = redis.port();
      assertThat(redis.isOwn()).isTrue();
      assertThat(LocalRedis.answersPing("127.0.0.1", port)).isTrue();
      assertThat(tmp.resolve("redis").resolve("server.log")).exists();
    }
    assertThat(LocalRedis.answersPing("127.0.0.1", port)).as("stopped with the stack").isFalse();
    assertThat(tmp.resolve("redis")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("appendonly"));
  }

  @Test
  void aServerThatCannotStartIsReportedWithItsLog() throws Exception {
    Path fake = executable(tmp.resolve("bin"), "redis-server");
    Files.writeString(fake, "#!/bin/sh\necho 'FATAL CONFIG FILE ERROR' >&2\nexit 3\n");
    assertThatThrownBy(() -> LocalRedis.startOwn(tmp, tmp.resolve("bin").toString()))
        .hasMessageContaining("exited with 3 at start").hasMessageContaining("server.log");
    assertThat(Files.readString(tmp.resolve("redis").resolve("server.log"))).contains("FATAL CONFIG FILE ERROR");
  }
}
