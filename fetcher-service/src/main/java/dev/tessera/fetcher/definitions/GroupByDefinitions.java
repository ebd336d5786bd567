package dev.tessera.fetcher.definitions;

import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The live GroupBy definitions the fetcher serves. The registry topic, followed from its beginning,
 * is the source ({@link RegistryFollower}: every publication and retirement arrives there, compiled
 * once). A name the follower does not know is asked of the registry REST API, whose answer (found
 * or not) is cached for a while; a later change of that name on the topic drops the cached answer,
 * so a retired GroupBy is not kept alive by the cache. A version pinned by a Join part that is not
 * the live one is asked of the REST API too ({@code /versions/{v}}): the topic keeps only the
 * latest version of each GroupBy.
 */
public final class GroupByDefinitions {
  /** DESIGN.md: GroupBy names are {@code [a-z][a-z0-9_]{0,62}}; anything else cannot exist. */
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final RegistryFollower follower;
  private final RestFallback<LiveGroupBy> fromRest;
  private final RestFallback<LiveGroupBy> pinned;

  /** @param follower the registry topic follower, or null to rely on the REST API alone */
  public GroupByDefinitions(RegistryFollower follower, RegistryClient registry, InstantSource clock, Duration cacheTtl, Duration missTtl) {
    this.follower = follower;
    this.fromRest = new RestFallback<>("GroupBy", registry::latest, LiveGroupBy::version, follower, clock, cacheTtl, missTtl);
    // name@version: a published version never changes, but the GroupBy may be retired, so the answer is asked again now and then
    this.pinned = new RestFallback<>("GroupBy version", nameAtVersion -> {
      int at = nameAtVersion.lastIndexOf('@');
      return registry.version(nameAtVersion.substring(0, at), Integer.parseInt(nameAtVersion.substring(at + 1)));
    }, LiveGroupBy::version, follower, clock, cacheTtl, missTtl);
    if (follower != null) follower.addListener((name, live) -> fromRest.forget(name));
  }

  /**
   * @throws UnknownGroupByException when there is no live GroupBy of that name
   * @throws DefinitionsUnavailableException when that cannot be told right now
   */
  public LiveGroupBy require(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new UnknownGroupByException(name, "GroupBy names match [a-z][a-z0-9_]{0,62}");
    }
    if (follower != null) {
      Optional<LiveGroupBy> live = follower.get(name);
      if (live.isPresent()) return live.get();
    }
    LiveGroupBy live = fromRest.get(name);
    if (live == null) throw new UnknownGroupByException(name, null);
    return live;
  }

  /**
   * One version of a GroupBy (a Join part that pins it): the live one when it is that version,
   * else the registry REST API's ({@code /versions/{v}}), cached.
   *
   * @throws UnknownGroupByException when the GroupBy has no such version or is retired
   * @throws DefinitionsUnavailableException when that cannot be told right now
   */
  public LiveGroupBy require(String name, int version) {
    LiveGroupBy live = require(name);
    if (live.version() == version) return live;
    LiveGroupBy found = pinned.get(name + "@" + version);
    if (found == null) throw new UnknownGroupByException(name, "it has no version " + version);
    return found;
  }
}
