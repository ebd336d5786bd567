package dev.tessera.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * What a local stack remembers between starts, in {@code <data dir>/stack.properties}: the admin
 * password (so that it does not change at every start) and how far the demo got (so that a restart
 * does not load six months of history again). Readable by the owner only: it holds a password.
 */
final class StackState {
  static final String FILE = "stack.properties";

  private final Path file;
  private final Properties props = new Properties();

  StackState(Path dataDir) throws IOException {
    this.file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file)) {
        props.load(r);
      }
    }
  }

  String get(String key) {
    return props.getProperty(key);
  }

  long getLong(String key, long fallback) {
    String v = props.getProperty(key);
    return v == null ? fallback : Long.parseLong(v);
  }

  /** Sets and saves at once (atomically: a crash leaves the old or the new file, never half of one). */
  synchronized void put(String key, String value) throws IOException {
    props.setProperty(key, value);
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      props.store(w, "Tessera local stack state (delete the data folder or use --reset to start over)");
    }
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the folder's permissions apply
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
