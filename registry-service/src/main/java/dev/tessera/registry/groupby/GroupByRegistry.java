package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.registry.definition.DefinitionRegistry;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DependentsGuard;
import dev.tessera.registry.definition.PublishContext;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.definition.DefinitionNotFoundException;
import dev.tessera.registry.definition.DefinitionStatus;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.rollout.Rollout;
import dev.tessera.registry.rollout.RolloutConflictException;
import dev.tessera.registry.rollout.RolloutRepository;
import dev.tessera.registry.rollout.RolloutState;
import dev.tessera.registry.rollout.RolloutStep;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registers, versions, retires and publishes GroupBys ({@link DefinitionRegistry}), and compares
 * their versions.
 */
public final class GroupByRegistry extends DefinitionRegistry<GroupBy, CompiledGroupBy> {
  private final RolloutRepository rollouts;

  public GroupByRegistry(DefinitionRepository<GroupBy> repository, RolloutRepository rollouts, PublishContext context,
      List<DependentsGuard> guards) {
    super(GroupByType.INSTANCE, repository, context, guards);
    this.rollouts = rollouts;
  }

  // ---- version rollout (DESIGN.md "Version rollout") ----

  /**
   * A new version of an online GroupBy whose live version is online too is held back: announced
   * under {@code rollout:<name>} (the stream service starts its job; the fetcher keeps serving the
   * live one) until {@link #switchLive} after its data is complete. Anything else (the first
   * version, an offline GroupBy, nothing served before) is live at once: there is nothing to keep.
   */
  @Override
  protected long announce(StoredVersion<GroupBy> v, boolean newVersion, Instant at) {
    String name = v.name();
    Integer live = rollouts.liveVersion(name).orElse(null);
    String json = type.publishedJson(v);
    if (!newVersion) {
      // a metadata change goes where its version is announced
      boolean held = live != null && v.version() != live && rollouts.pending(name).filter(r -> r.version() == v.version()).isPresent();
      return enqueue(name, held ? GroupByType.rolloutKey(name) : name, json, at);
    }
    boolean servedNow = live != null && v.definition().online() && version(name, live).definition().online();
    boolean hadPending = rollouts.pending(name).isPresent();
    if (!servedNow) {
      rollouts.setLiveVersion(name, v.version());
      if (hadPending) {
        rollouts.endPending(name, RolloutState.SUPERSEDED, at);
        enqueue(name, GroupByType.rolloutKey(name), null, at);
      }
      return enqueue(name, name, json, at);
    }
    rollouts.endPending(name, RolloutState.SUPERSEDED, at);
    rollouts.insert(new Rollout(name, live, v.version(), RolloutState.PUBLISHED, Rollout.initialSteps(), null, null, at, null));
    return enqueue(name, GroupByType.rolloutKey(name), json, at);
  }

  @Override
  protected long announceRetired(String name, Instant at) {
    if (rollouts.pending(name).isPresent()) {
      rollouts.endPending(name, RolloutState.RETIRED, at);
      enqueue(name, GroupByType.rolloutKey(name), null, at);
    }
    rollouts.setLiveVersion(name, null);
    return super.announceRetired(name, at);
  }

  /** The version served now and the one on its way, if any. */
  public Rollout rollout(String name) {
    DefinitionSummary s = summary(name);
    Optional<Rollout> pending = rollouts.pending(name);
    if (pending.isPresent()) return pending.get();
    Integer live = rollouts.liveVersion(name).orElse(null);
    if (live == null) throw new DefinitionNotFoundException(Kind.GROUPBY, name); // retired
    Optional<Rollout> latest = rollouts.latest(name).filter(r -> r.version() == live);
    return latest.orElseGet(() -> Rollout.settled(name, live, s.updatedAt()));
  }

  /** Rollouts switched live whose replaced version's data is still to be purged. */
  public List<Rollout> purgesPending() {
    return rollouts.purgesPending();
  }

  /** Records a rollout's progress (a step started, finished or failed). */
  public void recordRollout(Rollout r) {
    context().tx().executeWithoutResult(status -> rollouts.update(r));
  }

  /**
   * Serves {@code version}: the registry topic announces it under the bare name (every fetcher
   * switches at once, for all keys) and the rollout key is cleared. Only the version on its way.
   *
   * @return the switched rollout, its publication awaited like a publish's
   */
  public Rollout switchLive(String name, int version, Instant at, String purgeDetail) {
    List<Long> ids = context().tx().execute(status -> {
      DefinitionSummary s = repository.lock(name).orElseThrow(() -> new DefinitionNotFoundException(Kind.GROUPBY, name));
      Rollout r = rollouts.pending(name).filter(p -> p.version() == version).orElseThrow(() -> new RolloutConflictException(name,
          "version " + version + " of " + name + " is not the version being rolled out" + (s.status() == DefinitionStatus.RETIRED
              ? " (the GroupBy is retired)" : "")));
      int replaced = rollouts.liveVersion(name).orElseThrow();
      rollouts.setLiveVersion(name, version);
      rollouts.update(r.switched(replaced, "version " + version + " is served in place of version " + replaced, at, purgeDetail));
      // The live record first: a follower that read the rollout tombstone first would see the version
      // neither live nor pending for a moment (the stream service would stop its job and start it again).
      long live = enqueue(name, name, type.publishedJson(version(name, version)), at);
      return List.of(live, enqueue(name, GroupByType.rolloutKey(name), null, at));
    });
    context().publications().await(ids, context().publishWait());
    return rollout(name);
  }

  /** The GroupBy tables. */
  public static DefinitionRepository<GroupBy> repository(JdbcClient jdbc) {
    return new DefinitionRepository<>(jdbc, GroupByType.INSTANCE);
  }

  /** The diff between two versions; defaults: the latest version against the one before it. */
  public DefinitionDiff diff(String name, Integer from, Integer to) {
    DefinitionSummary s = summary(name);
    int t = to == null ? s.latestVersion() : to;
    int f = from == null ? Math.max(1, t - 1) : from;
    StoredVersion<GroupBy> a = version(name, f);
    StoredVersion<GroupBy> b = version(name, t);
    return DefinitionDiff.between(name, f, a.definition(), t, b.definition());
  }

  /** Compiles a stored definition (for features, tile size and hops). */
  public static CompiledGroupBy compile(StoredVersion<GroupBy> v) {
    CompileResult r = GroupByCompiler.compile(v.definition());
    if (!r.ok()) {
      throw new IllegalStateException("stored GroupBy " + v.name() + " v" + v.version() + " no longer compiles: " + r.problems());
    }
    return r.compiled();
  }
}
