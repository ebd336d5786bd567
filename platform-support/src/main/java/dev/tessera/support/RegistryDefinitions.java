package dev.tessera.support;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Definitions from the registry: the topic, followed from its beginning, is the source (every
 * publication and retirement arrives there, compiled once); a name the topic has not shown is asked
 * of the REST API, and so is a version that is not the live one (the topic keeps only the latest).
 * A later change of that name on the topic drops what the REST API answered, so a retired
 * definition is not kept alive by the cache.
 *
 * <p>The pending version of a GroupBy (being rolled out) comes from the topic alone: the REST API
 * is not asked for it, and it is never an answer of {@link #live}, {@link #version} or a Join's
 * resolution.
 */
final class RegistryDefinitions extends BaseDefinitions {
  /** DESIGN.md: names are {@code [a-z][a-z0-9_]{0,62}}; anything else cannot exist, and is not asked of the registry. */
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final RegistryFollower follower;
  private final RegistryRest rest;
  private final RestFallback<LiveGroupBy> latest;
  private final RestFallback<LiveGroupBy> versions;
  private final RestFallback<PublishedJoin> latestJoins;
  private final RestFallback<PublishedJoin> joinVersions;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  RegistryDefinitions(RegistryFollower follower, RegistryApi api) {
    super(follower == null ? new CompiledCache() : follower.compiledCache());
    if (follower == null && api == null) throw new IllegalArgumentException("the registry needs its topic, its REST API or both");
    this.follower = follower;
    this.rest = api == null ? null : new RegistryRest(api);
    BooleanSupplier caughtUp = follower == null ? null : follower::isCaughtUp;
    if (api == null) {
      latest = versions = null;
      latestJoins = joinVersions = null;
    } else {
      latest = new RestFallback<>("GroupBy", name -> rest.groupBy(name).map(this::compiledHere), caughtUp, api);
      versions = new RestFallback<>("GroupBy version", at -> rest.groupBy(name(at), version(at)).map(this::compiledHere), caughtUp, api);
      latestJoins = new RestFallback<>("Join", rest::join, caughtUp, api);
      joinVersions = new RestFallback<>("Join version", at -> rest.join(name(at), version(at)), caughtUp, api);
    }
    if (follower != null) {
      follower.followJoins();
      follower.addListener((name, live) -> {
        if (latest != null) {
          latest.forget(name);
          versions.forget(name);
        }
        listeners.forEach(l -> l.groupByChanged(name, live));
      });
      follower.addJoinListener((name, join) -> {
        if (latestJoins != null) {
          latestJoins.forget(name);
          joinVersions.forget(name);
        }
        if (join == null) joins.forget(name);
        listeners.forEach(l -> l.joinChanged(name, join));
      });
    }
  }

  @Override
  public Optional<LiveGroupBy> live(String name) {
    if (!NAME.matcher(name).matches()) return Optional.empty();
    Optional<LiveGroupBy> live = follower == null ? Optional.empty() : follower.get(name);
    if (live.isPresent() || latest == null) return live;
    return Optional.ofNullable(latest.get(name));
  }

  @Override
  public Optional<LiveGroupBy> version(String name, int version) {
    Optional<LiveGroupBy> live = live(name);
    if (live.isEmpty() || live.get().version() == version || versions == null) return live.filter(l -> l.version() == version);
    return Optional.ofNullable(versions.get(name + "@" + version));
  }

  @Override
  public Optional<LiveGroupBy> pending(String name) {
    if (follower == null || !NAME.matcher(name).matches()) return Optional.empty();
    return follower.getPending(name);
  }

  @Override
  public Collection<LiveGroupBy> all() {
    return follower == null ? List.of() : follower.all().values();
  }

  @Override
  public Optional<PublishedJoin> liveJoin(String name) {
    if (!NAME.matcher(name).matches()) return Optional.empty();
    Optional<PublishedJoin> live = follower == null ? Optional.empty() : follower.getJoin(name);
    if (live.isPresent() || latestJoins == null) return live;
    return Optional.ofNullable(latestJoins.get(name));
  }

  @Override
  public Collection<PublishedJoin> allJoins() {
    return follower == null ? List.of() : follower.allJoins().values();
  }

  @Override
  public Optional<PublishedJoin> joinVersion(String name, int version) {
    Optional<PublishedJoin> live = liveJoin(name).filter(j -> j.version() == version);
    if (live.isPresent() || joinVersions == null || !NAME.matcher(name).matches()) return live;
    return Optional.ofNullable(joinVersions.get(name + "@" + version));
  }

  @Override
  public boolean isCaughtUp() {
    return follower == null || follower.isCaughtUp();
  }

  @Override
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return follower == null || follower.awaitCaughtUp(timeout);
  }

  @Override
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  @Override
  public String description() {
    if (follower == null) return "registry " + rest.base();
    return "registry topic " + follower.topic();
  }

  @Override
  public long badRecords() {
    return follower == null ? 0 : follower.badRecords();
  }

  @Override
  public void start() {
    if (follower != null) follower.start();
  }

  @Override
  public void close() {
    if (follower != null) follower.close();
  }

  /** A version the REST API gave that does not compile here is an answer that cannot be used, not an unknown name. */
  private LiveGroupBy compiledHere(PublishedGroupBy published) {
    try {
      return cache.live(published);
    } catch (IllegalArgumentException e) {
      throw new RegistryRest.Unavailable("the registry gave " + e.getMessage(), e);
    }
  }

  private static String name(String nameAtVersion) {
    return nameAtVersion.substring(0, nameAtVersion.lastIndexOf('@'));
  }

  private static int version(String nameAtVersion) {
    return Integer.parseInt(nameAtVersion.substring(nameAtVersion.lastIndexOf('@') + 1));
  }
}
