package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompileResult;
import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Problem;
import dev.tessera.registry.publish.OutboxRepository;
import dev.tessera.registry.publish.PublicationState;
import dev.tessera.registry.publish.PublicationTracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registers, versions, retires and publishes GroupBys. Every write locks the name's row, decides
 * the change ({@link VersionPolicy}), writes the version, the history event and the outbox record
 * in one transaction, and only then waits briefly for the relay to get the record to Kafka. So a
 * committed version is always on its way to the topic, and a Kafka outage delays it without
 * losing it.
 */
public final class GroupByRegistry {
  /** Retries of a write that lost the race to create a new name (the retry then sees the name). */
  private static final int CREATE_RACE_ATTEMPTS = 3;

  private final GroupByRepository repository;
  private final OutboxRepository outbox;
  private final TransactionTemplate tx;
  private final PublicationTracker publications;
  private final RegistryMetrics metrics;
  private final Clock clock;
  private final String topic;
  private final Duration publishWait;

  public GroupByRegistry(GroupByRepository repository, OutboxRepository outbox, TransactionTemplate tx,
      PublicationTracker publications, RegistryMetrics metrics, Clock clock, String topic, Duration publishWait) {
    this.repository = repository;
    this.outbox = outbox;
    this.tx = tx;
    this.publications = publications;
    this.metrics = metrics;
    this.clock = clock;
    this.topic = topic;
    this.publishWait = publishWait;
  }

  /** Validates without writing anything; counts a failure. */
  public Validation validate(DefinitionDocument doc, String operation) {
    Validation v = DefinitionValidator.validate(doc);
    if (!v.ok()) metrics.validationFailed(operation);
    return v;
  }

  /** What publishing this valid definition would do now (read-only). */
  public Plan plan(Validation v) {
    GroupBy g = v.orThrow().definition();
    Optional<GroupBySummary> current = repository.find(g.name());
    if (current.isEmpty()) return new Plan(g.name(), Change.CREATED, 1, null);
    GroupBySummary s = current.get();
    GroupBy latest = latestVersion(s).definition();
    Change change = VersionPolicy.decide(s.status(), latest, g);
    return new Plan(g.name(), change, VersionPolicy.versionAfter(change, s.latestVersion()), s.latestVersion());
  }

  /**
   * Publishes a definition: a new version, a metadata update of the latest one, or nothing when it
   * is identical.
   *
   * @throws InvalidDefinitionException with every problem, when it does not validate
   * @throws VersionConflictException when {@code precondition} does not hold
   */
  public PublishResult publish(DefinitionDocument doc, Precondition precondition, String actor) {
    Validation v = validate(doc, "publish");
    CompiledGroupBy compiled = v.orThrow();
    Applied applied = withCreateRetries(v.name(), precondition, () -> tx.execute(status -> apply(v, precondition, actor, now())));
    metrics.changed(applied.change());
    PublicationState publication = applied.outboxId() == null ? PublicationState.NOTHING
        : publications.await(List.of(applied.outboxId()), publishWait);
    return new PublishResult(applied.change(), applied.previousVersion(), applied.summary(), applied.version(), compiled, publication);
  }

  /**
   * Validates several definitions together and, unless {@code dryRun}, publishes all of them in one
   * transaction when every one is valid (and none, otherwise). Names must be unique in the batch.
   */
  public BatchResult publishAll(List<DefinitionDocument> docs, boolean dryRun, String actor) {
    List<Validation> validations = docs.stream().map(d -> DefinitionValidator.validate(d)).toList();
    Map<Integer, List<LocatedProblem>> problems = new LinkedHashMap<>();
    for (int i = 0; i < validations.size(); i++) problems.put(i, new ArrayList<>(validations.get(i).problems()));
    markDuplicateNames(docs, validations, problems);
    boolean valid = problems.values().stream().allMatch(List::isEmpty) && !docs.isEmpty();
    if (!valid) {
      metrics.validationFailed("batch");
      List<BatchResult.Item> items = new ArrayList<>();
      for (int i = 0; i < docs.size(); i++) {
        List<LocatedProblem> p = problems.get(i);
        items.add(new BatchResult.Item(i, source(docs.get(i), i), validations.get(i).name(), p.isEmpty(), null, null, null, p));
      }
      return new BatchResult(dryRun, false, false, items, null);
    }
    if (dryRun) {
      List<BatchResult.Item> items = new ArrayList<>();
      for (int i = 0; i < docs.size(); i++) {
        Plan plan = plan(validations.get(i));
        items.add(new BatchResult.Item(i, source(docs.get(i), i), plan.name(), true, plan.change(), plan.version(), plan.previousVersion(), List.of()));
      }
      return new BatchResult(true, true, false, items, null);
    }
    // Lock names in a fixed order, so that two batches sharing names cannot deadlock.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) order.add(i);
    order.sort(Comparator.comparing(i -> validations.get(i).name()));
    Applied[] applied = withCreateRetries("one of the batch's GroupBys", Precondition.NONE, () -> tx.execute(status -> {
      Instant at = now();
      Applied[] out = new Applied[docs.size()];
      for (int i : order) out[i] = apply(validations.get(i), Precondition.NONE, actor, at);
      return out;
    }));
    List<BatchResult.Item> items = new ArrayList<>();
    List<Long> outboxIds = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      Applied a = applied[i];
      metrics.changed(a.change());
      if (a.outboxId() != null) outboxIds.add(a.outboxId());
      items.add(new BatchResult.Item(i, source(docs.get(i), i), a.summary().name(), true, a.change(), a.summary().latestVersion(),
          a.previousVersion(), List.of()));
    }
    PublicationState publication = outboxIds.isEmpty() ? PublicationState.NOTHING : publications.await(outboxIds, publishWait);
    return new BatchResult(false, true, true, items, publication);
  }

  /**
   * Retires a GroupBy: it stays in the history, and a tombstone tells every follower to drop it.
   *
   * @throws GroupByNotFoundException when the name was never registered
   */
  public RetireResult retire(String name, Precondition precondition, String actor) {
    record Retired(Change change, GroupBySummary summary, Long outboxId) {}
    Retired r = tx.execute(status -> {
      GroupBySummary current = repository.lock(name).orElseThrow(() -> new GroupByNotFoundException(name));
      String violation = precondition.violationBy(current);
      if (violation != null) throw new VersionConflictException(name, violation, current);
      if (current.status() == GroupByStatus.RETIRED) return new Retired(Change.UNCHANGED, current, null);
      Instant at = now();
      GroupBySummary next = new GroupBySummary(name, GroupByStatus.RETIRED, current.latestVersion(), current.revision() + 1,
          current.team(), current.description(), current.online(), current.featureCount(), current.createdAt(), at, actor);
      if (!repository.update(next, current.revision())) throw new VersionConflictException(name, "it was changed concurrently", current);
      repository.addEvent(name, next.latestVersion(), next.revision(), Change.RETIRED, null, at, actor);
      long id = outbox.append(topic, name, null, at);
      return new Retired(Change.RETIRED, next, id);
    });
    if (r.change() == Change.RETIRED) metrics.changed(Change.RETIRED);
    PublicationState publication = r.outboxId() == null ? PublicationState.NOTHING : publications.await(List.of(r.outboxId()), publishWait);
    return new RetireResult(r.change(), r.summary(), publication);
  }

  public List<GroupBySummary> list() {
    return repository.list();
  }

  public GroupBySummary summary(String name) {
    return repository.find(name).orElseThrow(() -> new GroupByNotFoundException(name));
  }

  public StoredVersion latestVersion(GroupBySummary s) {
    return version(s.name(), s.latestVersion(), s.latestVersion());
  }

  public StoredVersion version(String name, int version) {
    GroupBySummary s = summary(name);
    return version(name, version, s.latestVersion());
  }

  private StoredVersion version(String name, int version, int latest) {
    return repository.version(name, version).orElseThrow(() -> new GroupByNotFoundException(name, version, latest));
  }

  /** Every version, newest first. */
  public List<StoredVersion> versions(String name) {
    summary(name);
    return repository.versions(name);
  }

  /** Every change of the name, newest first. */
  public List<HistoryEvent> history(String name) {
    summary(name);
    return repository.events(name);
  }

  /** The diff between two versions; defaults: the latest version against the one before it. */
  public DefinitionDiff diff(String name, Integer from, Integer to) {
    GroupBySummary s = summary(name);
    int t = to == null ? s.latestVersion() : to;
    int f = from == null ? Math.max(1, t - 1) : from;
    StoredVersion a = version(name, f, s.latestVersion());
    StoredVersion b = version(name, t, s.latestVersion());
    return DefinitionDiff.between(name, f, a.definition(), t, b.definition());
  }

  /** Compiles a stored definition (for features, tile size and hops). */
  public static CompiledGroupBy compile(StoredVersion v) {
    CompileResult r = GroupByCompiler.compile(v.definition());
    if (!r.ok()) {
      throw new IllegalStateException("stored GroupBy " + v.name() + " v" + v.version() + " no longer compiles: " + r.problems());
    }
    return r.compiled();
  }

  /** The transaction's part of a write. */
  private record Applied(Change change, Integer previousVersion, GroupBySummary summary, StoredVersion version, Long outboxId) {}

  private Applied apply(Validation v, Precondition precondition, String actor, Instant at) {
    GroupBy g = v.definition();
    String name = g.name();
    GroupBySummary current = repository.lock(name).orElse(null);
    String violation = precondition.violationBy(current);
    if (violation != null) throw new VersionConflictException(name, violation, current);
    StoredVersion latest = current == null ? null : latestVersion(current);
    Change change = VersionPolicy.decide(current == null ? null : current.status(), latest == null ? null : latest.definition(), g);
    Integer previous = current == null ? null : current.latestVersion();
    DefinitionDocument doc = v.document();
    int features = v.compiled().features().size();
    switch (change) {
      case UNCHANGED -> {
        return new Applied(change, previous, current, latest, null);
      }
      case METADATA_UPDATED -> {
        StoredVersion updated = new StoredVersion(name, latest.version(), g, doc.text(), doc.format(), latest.publishedAt(),
            latest.publishedBy(), at, actor);
        repository.updateVersion(updated);
        GroupBySummary next = new GroupBySummary(name, GroupByStatus.ACTIVE, latest.version(), current.revision() + 1, g.team(),
            g.description(), g.online(), features, current.createdAt(), at, actor);
        if (!repository.update(next, current.revision())) throw new VersionConflictException(name, "it was changed concurrently", current);
        repository.addEvent(name, next.latestVersion(), next.revision(), change, g, at, actor);
        long id = outbox.append(topic, name, updated.published().toJson(), at);
        return new Applied(change, previous, next, updated, id);
      }
      case CREATED, NEW_VERSION -> {
        int version = VersionPolicy.versionAfter(change, current == null ? 0 : current.latestVersion());
        StoredVersion created = new StoredVersion(name, version, g, doc.text(), doc.format(), at, actor, at, actor);
        GroupBySummary next = new GroupBySummary(name, GroupByStatus.ACTIVE, version, current == null ? 1 : current.revision() + 1,
            g.team(), g.description(), g.online(), features, current == null ? at : current.createdAt(), at, actor);
        if (current == null) {
          repository.insert(next);
        } else if (!repository.update(next, current.revision())) {
          throw new VersionConflictException(name, "it was changed concurrently", current);
        }
        repository.insertVersion(created);
        repository.addEvent(name, version, next.revision(), change, g, at, actor);
        long id = outbox.append(topic, name, created.published().toJson(), at);
        return new Applied(change, previous, next, created, id);
      }
      default -> throw new IllegalStateException("a publish cannot " + change);
    }
  }

  /**
   * Two writers creating the same new name both find no row to lock; the second insert fails.
   * Without a precondition the write is retried (it then locks the row the winner created and is
   * decided against it); with one, the loser gets the conflict it asked to be told about.
   */
  private <T> T withCreateRetries(String name, Precondition precondition, java.util.function.Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (DuplicateKeyException | PessimisticLockingFailureException e) {
        if (!precondition.isNone() || attempt >= CREATE_RACE_ATTEMPTS) {
          throw new VersionConflictException(name, "another writer changed it at the same time", null);
        }
      }
    }
  }

  private static void markDuplicateNames(List<DefinitionDocument> docs, List<Validation> validations, Map<Integer, List<LocatedProblem>> problems) {
    Map<String, List<Integer>> byName = new LinkedHashMap<>();
    for (int i = 0; i < validations.size(); i++) {
      String name = validations.get(i).name();
      if (name != null) byName.computeIfAbsent(name, n -> new ArrayList<>()).add(i);
    }
    byName.forEach((name, at) -> {
      if (at.size() < 2) return;
      for (int i : at) {
        List<String> others = at.stream().filter(j -> j != i).map(j -> source(docs.get(j), j)).toList();
        Problem p = new Problem("$.name", "'" + name + "' is also defined by " + String.join(", ", others) + " in this batch");
        problems.get(i).addAll(DefinitionValidator.locate(docs.get(i), List.of(p)));
      }
    });
  }

  private static String source(DefinitionDocument doc, int index) {
    return doc.label() != null ? doc.label() : "#" + index;
  }

  /** Millisecond precision: what both databases store exactly, so reads equal writes. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
