package dev.tessera.batch.definitions;

import dev.tessera.support.LiveGroupBy;
import java.util.Collection;
import java.util.Optional;

/** The live GroupBy definitions a job may name: from the registry topic, or from files for local runs. */
public interface GroupByDefinitions {

  /** The live version of {@code name}, compiled. */
  Optional<LiveGroupBy> find(String name);

  Collection<LiveGroupBy> all();

  /** False until the definitions are known (the registry topic has been read to its end). */
  boolean ready();

  /** Where definitions come from, for messages. */
  String description();
}
