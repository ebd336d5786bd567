package dev.tessera.batch.definitions;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.support.LiveGroupBy;
import java.util.Collection;
import java.util.Optional;

/** The live GroupBy definitions a job may name: from the registry topic, or from files for local runs. */
public interface GroupByDefinitions {

  /** The live version of {@code name}, compiled. */
  Optional<LiveGroupBy> find(String name);

  /**
   * One version of {@code name}, live or not (a Join part may pin an older one): the live version when
   * it is that one; otherwise wherever the source keeps older versions, if it does.
   */
  default Optional<PublishedGroupBy> version(String name, int version) {
    return find(name).filter(l -> l.version() == version).map(LiveGroupBy::published);
  }

  Collection<LiveGroupBy> all();

  /** False until the definitions are known (the registry topic has been read to its end). */
  boolean ready();

  /** Where definitions come from, for messages. */
  String description();
}
