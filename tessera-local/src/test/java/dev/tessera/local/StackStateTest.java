package dev.tessera.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {
  @TempDir
  Path dir;

  @Test
  void valuesSurviveANewInstanceAndTheFileIsPrivate() throws Exception {
    StackState state = new StackState(dir);
    assertThat(state.get("admin.password")).isNull();
    state.put("admin.password", "s3cret-s3cret");
    state.put("demo.live.until", "42");

    StackState again = new StackState(dir);
    assertThat(again.get("admin.password")).isEqualTo("s3cret-s3cret");
    assertThat(again.getLong("demo.live.until", 0)).isEqualTo(42);
    assertThat(again.getLong("missing", 7)).isEqualTo(7);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(StackState.FILE)))).isEqualTo("rw-------");
  }
}
