package dev.tessera.fetcher.definitions;

import dev.tessera.support.Definitions;
import dev.tessera.support.JoinResolution;
import dev.tessera.support.LiveGroupBy;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The definitions the fetcher serves, read through platform-support's {@link Definitions} (the
 * registry topic, with the registry REST API for what the topic has not shown), and what the fetch
 * API answers when there is none: an unknown GroupBy or Join (404), a Join that does not compile
 * against its parts' GroupBys (503), or definitions that cannot be told right now (503).
 */
public final class ServedDefinitions {
  /** DESIGN.md: names are {@code [a-z][a-z0-9_]{0,62}}; anything else cannot exist. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final Definitions definitions;

  public ServedDefinitions(Definitions definitions) {
    this.definitions = definitions;
  }

  /**
   * The live version of GroupBy {@code name}, compiled.
   *
   * @throws UnknownGroupByException when there is no live GroupBy of that name
   * @throws DefinitionsUnavailableException when that cannot be told right now
   */
  public LiveGroupBy groupBy(String name) {
    if (!NAME.matcher(name).matches()) throw new UnknownGroupByException(name, "GroupBy names match [a-z][a-z0-9_]{0,62}");
    return available(() -> definitions.live(name)).orElseThrow(() -> new UnknownGroupByException(name, null));
  }

  /**
   * The live version of Join {@code name}, compiled against what its parts resolve to now.
   *
   * @throws UnknownJoinException when there is no live Join of that name
   * @throws UnservableJoinException when it does not compile against its parts' GroupBys
   * @throws DefinitionsUnavailableException when either cannot be told right now
   */
  public JoinResolution join(String name) {
    if (!NAME.matcher(name).matches()) throw new UnknownJoinException(name, "Join names match [a-z][a-z0-9_]{0,62}");
    JoinResolution resolved = available(() -> definitions.liveJoin(name).map(definitions::resolve))
        .orElseThrow(() -> new UnknownJoinException(name, null));
    if (!resolved.ok()) throw new UnservableJoinException(name, resolved.version(), resolved.problems());
    return resolved;
  }

  private static <T> Optional<T> available(Supplier<Optional<T>> lookup) {
    try {
      return lookup.get();
    } catch (dev.tessera.support.DefinitionsUnavailableException e) {
      throw new DefinitionsUnavailableException(e.getMessage(), e);
    }
  }
}
