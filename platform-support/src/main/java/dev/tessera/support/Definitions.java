package dev.tessera.support;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * The one way a service reads GroupBy and Join definitions (DESIGN.md "Reading definitions"):
 * the registry (its compacted topic, followed by a {@link RegistryFollower}, with its REST API for
 * what the topic has not shown, or the REST API alone) or a directory of definition files (local
 * runs). Every GroupBy version is compiled once per instance, whichever way it came; a Join is
 * resolved against its parts' GroupBy versions and compiled here, once per Join version and part
 * versions.
 *
 * <p>A retired definition is unknown: {@link #live} and {@link #version} are empty for a GroupBy
 * with no live version, {@link #liveJoin} for a retired Join. A lookup that cannot be answered
 * right now (the topic is still being read and the REST API does not answer) throws
 * {@link DefinitionsUnavailableException}, never a wrong "unknown".
 */
public interface Definitions extends AutoCloseable {

  /** A change of a definition, heard from the registry topic (a directory announces none: it is read at each lookup). */
  interface Listener {
    /**
     * GroupBy {@code name} has a new live version, or none ({@code live} null) once retired; also
     * called when its pending version ({@link #pending}) appears or goes.
     */
    default void groupByChanged(String name, LiveGroupBy live) {}

    /** Join {@code name} has a new live version, or none ({@code join} null) once retired. */
    default void joinChanged(String name, PublishedJoin join) {}
  }

  /** The live version of GroupBy {@code name}, compiled; empty when it was never published or is retired. */
  Optional<LiveGroupBy> live(String name);

  /**
   * Version {@code version} of GroupBy {@code name}, compiled: the live one when it is that version,
   * else where the source keeps older versions (the registry's REST API, a file). Empty when the
   * GroupBy has no such version or no live version at all (retired = unknown).
   */
  Optional<LiveGroupBy> version(String name, int version);

  /**
   * The version of GroupBy {@code name} being rolled out (DESIGN.md "Version rollout"): published
   * after the live one, not served until the registry switches it live. The stream service runs
   * its job beside the live version's; the fetcher never serves it. Empty when none is (always for
   * a directory: files have no rollout).
   */
  default Optional<LiveGroupBy> pending(String name) {
    return Optional.empty();
  }

  /** Every live GroupBy. */
  Collection<LiveGroupBy> all();

  /** The live version of Join {@code name}; empty when it was never published or is retired. */
  Optional<PublishedJoin> liveJoin(String name);

  /**
   * Every live Join that this source can list: the registry topic's (empty with the REST API
   * alone, which cannot list) or the directory's highest version of each.
   */
  Collection<PublishedJoin> allJoins();

  /** Version {@code version} of Join {@code name}, live or not. */
  Optional<PublishedJoin> joinVersion(String name, int version);

  /**
   * {@code join} with its parts resolved (the live GroupBy version, or the one a part pins) and
   * compiled against them. The same resolution is answered while the parts resolve to the same
   * versions; a part whose GroupBy is unknown makes a resolution that is not {@link JoinResolution#ok()}.
   */
  JoinResolution resolve(PublishedJoin join);

  /** {@code published} compiled, from the same cache as every other lookup. */
  CompiledGroupBy compile(PublishedGroupBy published);

  /** True once everything on the registry topic when this started has been read (always true for a directory or REST alone). */
  boolean isCaughtUp();

  boolean awaitCaughtUp(Duration timeout) throws InterruptedException;

  void addListener(Listener listener);

  /** Where definitions come from, for messages: "registry topic tessera.registry", "directory /defs". */
  String description();

  /** Registry topic records that could not be read or compiled. */
  long badRecords();

  /** Starts following the registry topic, if this follows one. */
  void start();

  @Override
  void close();

  /**
   * Definitions from the registry: its topic through {@code follower} (started and closed with
   * these definitions; made to follow Joins too), and its REST API for names and versions the topic
   * has not shown.
   *
   * @param follower the registry topic's follower, or null for the REST API alone
   */
  static Definitions registry(RegistryFollower follower, RegistryApi api) {
    return new RegistryDefinitions(follower, api);
  }

  /**
   * Definitions from a directory of {@code .yaml}/{@code .yml}/{@code .json} files holding GroupBys
   * and Joins side by side (DefinitionFiles), read at each lookup, so an edited file counts at once.
   */
  static Definitions directory(Path directory) {
    return new DirectoryDefinitions(directory);
  }
}
