package dev.tessera.stream.jobs;

import dev.tessera.support.LiveGroupBy;
import java.util.Optional;
import java.util.Set;

/** The live GroupBy versions, as the registry publishes them (RegistryFollower in the service). */
public interface LiveDefinitions {
  Optional<LiveGroupBy> get(String name);

  Set<String> names();

  /** False until everything published before the service started has been read. */
  boolean isCaughtUp();
}
