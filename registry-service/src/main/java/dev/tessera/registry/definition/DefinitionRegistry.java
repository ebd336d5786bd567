package dev.tessera.registry.definition;

import dev.tessera.agg.definition.Problem;
import dev.tessera.registry.publish.PublicationState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;

/**
 * Registers, versions, retires and publishes the definitions of one kind. Every write locks the
 * name's row, decides the change ({@link VersionPolicy}), writes the version, the history event
 * and the outbox record in one transaction, and only then waits briefly for the relay to get the
 * record to Kafka. So a committed version is always on its way to the topic, and a Kafka outage
 * delays it without losing it. What differs between kinds is in {@link DefinitionType}.
 */
public class DefinitionRegistry<D, C> {
  /** Retries of a write that lost the race to create a new name (the retry then sees the name). */
  private static final int CREATE_RACE_ATTEMPTS = 3;

  protected final DefinitionType<D, C> type;
  protected final DefinitionRepository<D> repository;
  private final PublishContext context;
  private final List<DependentsGuard> guards;
  private final Kind kind;

  public DefinitionRegistry(DefinitionType<D, C> type, DefinitionRepository<D> repository, PublishContext context,
      List<DependentsGuard> guards) {
    this.type = type;
    this.repository = repository;
    this.context = context;
    this.kind = type.kind();
    this.guards = guards.stream().filter(g -> g.guards() == kind).toList();
  }

  public DefinitionType<D, C> type() {
    return type;
  }

  /** Validates without writing anything; counts a failure. */
  public Validation<D, C> validate(DefinitionDocument doc, String operation) {
    Validation<D, C> v = type.validate(doc);
    if (!v.ok()) context.metrics().validationFailed(kind, operation);
    return v;
  }

  /** What publishing this valid definition would do now (read-only). */
  public Plan plan(Validation<D, C> v) {
    v.orThrow();
    String name = v.name();
    Optional<DefinitionSummary> current = repository.find(name);
    if (current.isEmpty()) return new Plan(name, Change.CREATED, 1, null);
    DefinitionSummary s = current.get();
    D latest = latestVersion(s).definition();
    Change change = VersionPolicy.decide(s.status(), latest, v.definition(), type::sameComputation);
    return new Plan(name, change, VersionPolicy.versionAfter(change, s.latestVersion()), s.latestVersion());
  }

  /**
   * Publishes a definition: a new version, a metadata update of the latest one, or nothing when it
   * is identical.
   *
   * @throws InvalidDefinitionException with every problem, when it does not validate
   * @throws VersionConflictException when {@code precondition} does not hold
   */
  public PublishResult<D, C> publish(DefinitionDocument doc, Precondition precondition, String actor) {
    Validation<D, C> v = validate(doc, "publish");
    v.orThrow();
    Applied<D, C> applied = withCreateRetries(v.name(), precondition,
        () -> context.tx().execute(status -> apply(v, precondition, actor, now())));
    context.metrics().changed(kind, applied.change());
    PublicationState publication = applied.outboxId() == null ? PublicationState.NOTHING
        : context.publications().await(List.of(applied.outboxId()), context.publishWait());
    return new PublishResult<>(applied.change(), applied.previousVersion(), applied.summary(), applied.version(), applied.compiled(),
        publication);
  }

  /**
   * Validates several definitions together and, unless {@code dryRun}, publishes all of them in one
   * transaction when every one is valid (and none, otherwise). Names must be unique in the batch.
   */
  public BatchResult publishAll(List<DefinitionDocument> docs, boolean dryRun, String actor) {
    List<Validation<D, C>> validations = docs.stream().map(type::validate).toList();
    Map<Integer, List<LocatedProblem>> problems = new LinkedHashMap<>();
    for (int i = 0; i < validations.size(); i++) problems.put(i, new ArrayList<>(validations.get(i).problems()));
    markDuplicateNames(docs, validations, problems);
    boolean valid = problems.values().stream().allMatch(List::isEmpty) && !docs.isEmpty();
    if (!valid) {
      context.metrics().validationFailed(kind, "batch");
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
    List<Applied<D, C>> applied = withCreateRetries("one of the batch's " + kind.label() + "s", Precondition.NONE,
        () -> context.tx().execute(status -> {
          Instant at = now();
          List<Applied<D, C>> out = new ArrayList<>(java.util.Collections.nCopies(docs.size(), null));
          for (int i : order) out.set(i, apply(validations.get(i), Precondition.NONE, actor, at));
          return out;
        }));
    List<BatchResult.Item> items = new ArrayList<>();
    List<Long> outboxIds = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      Applied<D, C> a = applied.get(i);
      context.metrics().changed(kind, a.change());
      if (a.outboxId() != null) outboxIds.add(a.outboxId());
      items.add(new BatchResult.Item(i, source(docs.get(i), i), a.summary().name(), true, a.change(), a.summary().latestVersion(),
          a.previousVersion(), List.of()));
    }
    PublicationState publication = outboxIds.isEmpty() ? PublicationState.NOTHING
        : context.publications().await(outboxIds, context.publishWait());
    return new BatchResult(false, true, true, items, publication);
  }

  /**
   * Retires a definition: it stays in the history, and a tombstone tells every follower to drop it.
   *
   * @throws DefinitionNotFoundException when the name was never registered
   * @throws DefinitionInUseException when an active definition of another kind still uses it
   */
  public RetireResult retire(String name, Precondition precondition, String actor) {
    record Retired(Change change, DefinitionSummary summary, Long outboxId) {}
    Retired r = context.tx().execute(status -> {
      DefinitionSummary current = repository.lock(name).orElseThrow(() -> new DefinitionNotFoundException(kind, name));
      String violation = precondition.violationBy(current);
      if (violation != null) throw new VersionConflictException(kind, name, violation, current);
      if (current.status() == DefinitionStatus.RETIRED) return new Retired(Change.UNCHANGED, current, null);
      guards.forEach(g -> g.beforeRetire(name));
      Instant at = now();
      DefinitionSummary next = new DefinitionSummary(name, DefinitionStatus.RETIRED, current.latestVersion(), current.revision() + 1,
          current.team(), current.description(), current.online(), current.featureCount(), current.createdAt(), at, actor);
      if (!repository.update(next, current.revision())) throw new VersionConflictException(kind, name, "it was changed concurrently", current);
      repository.addEvent(name, next.latestVersion(), next.revision(), Change.RETIRED, null, at, actor);
      long id = announceRetired(name, at);
      return new Retired(Change.RETIRED, next, id);
    });
    if (r.change() == Change.RETIRED) context.metrics().changed(kind, Change.RETIRED);
    PublicationState publication = r.outboxId() == null ? PublicationState.NOTHING
        : context.publications().await(List.of(r.outboxId()), context.publishWait());
    return new RetireResult(r.change(), r.summary(), publication);
  }

  public List<DefinitionSummary> list() {
    return repository.list();
  }

  public DefinitionSummary summary(String name) {
    return repository.find(name).orElseThrow(() -> new DefinitionNotFoundException(kind, name));
  }

  public StoredVersion<D> latestVersion(DefinitionSummary s) {
    return version(s.name(), s.latestVersion(), s.latestVersion());
  }

  public StoredVersion<D> version(String name, int version) {
    DefinitionSummary s = summary(name);
    return version(name, version, s.latestVersion());
  }

  private StoredVersion<D> version(String name, int version, int latest) {
    return repository.version(name, version).orElseThrow(() -> new DefinitionNotFoundException(kind, name, version, latest));
  }

  /** Every version, newest first. */
  public List<StoredVersion<D>> versions(String name) {
    summary(name);
    return repository.versions(name);
  }

  /** Every change of the name, newest first. */
  public List<HistoryEvent> history(String name) {
    summary(name);
    return repository.events(name);
  }

  /**
   * Inside the write transaction: appends the record announcing a stored version (new, or changed in
   * its metadata) and returns the id the publish waits for. By default the version is live at once;
   * GroupBys hold a new version back until it is rolled out.
   */
  protected long announce(StoredVersion<D> v, boolean newVersion, Instant at) {
    return enqueue(v.name(), type.topicKey(v.name()), type.publishedJson(v), at);
  }

  /** Inside the retire transaction: the tombstone(s) that make every follower drop the name. */
  protected long announceRetired(String name, Instant at) {
    return enqueue(name, type.topicKey(name), null, at);
  }

  /** Appends one record (null payload: a tombstone) inside the caller's transaction. */
  protected long enqueue(String name, String key, String payload, Instant at) {
    return context.enqueue(kind, name, key, payload, at);
  }

  protected PublishContext context() {
    return context;
  }

  /** The transaction's part of a write. */
  private record Applied<D, C>(Change change, Integer previousVersion, DefinitionSummary summary, StoredVersion<D> version,
      C compiled, Long outboxId) {}

  private Applied<D, C> apply(Validation<D, C> first, Precondition precondition, String actor, Instant at) {
    String name = first.name();
    DefinitionSummary current = repository.lock(name).orElse(null);
    String violation = precondition.violationBy(current);
    if (violation != null) throw new VersionConflictException(kind, name, violation, current);
    Validation<D, C> v = type.revalidate(first);
    C compiled = v.orThrow();
    D g = v.definition();
    DefinitionType.Metadata meta = type.metadata(g);
    StoredVersion<D> latest = current == null ? null : latestVersion(current);
    Change change = VersionPolicy.decide(current == null ? null : current.status(), latest == null ? null : latest.definition(), g,
        type::sameComputation);
    Integer previous = current == null ? null : current.latestVersion();
    DefinitionDocument doc = v.document();
    int features = type.featureCount(compiled);
    switch (change) {
      case UNCHANGED -> {
        return new Applied<>(change, previous, current, latest, compiled, null);
      }
      case METADATA_UPDATED -> {
        StoredVersion<D> updated = new StoredVersion<>(name, latest.version(), g, doc.text(), doc.format(), latest.publishedAt(),
            latest.publishedBy(), at, actor);
        repository.updateVersion(updated);
        DefinitionSummary next = new DefinitionSummary(name, DefinitionStatus.ACTIVE, latest.version(), current.revision() + 1,
            meta.team(), meta.description(), meta.online(), features, current.createdAt(), at, actor);
        if (!repository.update(next, current.revision())) throw new VersionConflictException(kind, name, "it was changed concurrently", current);
        repository.addEvent(name, next.latestVersion(), next.revision(), change, g, at, actor);
        guards.forEach(guard -> guard.afterPublish(name, updated.version()));
        long id = announce(updated, false, at);
        return new Applied<>(change, previous, next, updated, compiled, id);
      }
      case CREATED, NEW_VERSION -> {
        int version = VersionPolicy.versionAfter(change, current == null ? 0 : current.latestVersion());
        StoredVersion<D> created = new StoredVersion<>(name, version, g, doc.text(), doc.format(), at, actor, at, actor);
        DefinitionSummary next = new DefinitionSummary(name, DefinitionStatus.ACTIVE, version,
            current == null ? 1 : current.revision() + 1, meta.team(), meta.description(), meta.online(), features,
            current == null ? at : current.createdAt(), at, actor);
        if (current == null) {
          repository.insert(next);
        } else if (!repository.update(next, current.revision())) {
          throw new VersionConflictException(kind, name, "it was changed concurrently", current);
        }
        repository.insertVersion(created);
        type.versionStored(created, compiled);
        repository.addEvent(name, version, next.revision(), change, g, at, actor);
        guards.forEach(guard -> guard.afterPublish(name, version));
        long id = announce(created, true, at);
        return new Applied<>(change, previous, next, created, compiled, id);
      }
      default -> throw new IllegalStateException("a publish cannot " + change);
    }
  }

  /**
   * Two writers creating the same new name both find no row to lock; the second insert fails.
   * Without a precondition the write is retried (it then locks the row the winner created and is
   * decided against it); with one, the loser gets the conflict it asked to be told about.
   */
  private <T> T withCreateRetries(String name, Precondition precondition, Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (DuplicateKeyException | PessimisticLockingFailureException e) {
        if (!precondition.isNone() || attempt >= CREATE_RACE_ATTEMPTS) {
          throw new VersionConflictException(kind, name, "another writer changed it at the same time", null);
        }
      }
    }
  }

  private static void markDuplicateNames(List<DefinitionDocument> docs, List<? extends Validation<?, ?>> validations,
      Map<Integer, List<LocatedProblem>> problems) {
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
        problems.get(i).addAll(LocatedProblem.locate(docs.get(i), List.of(p)));
      }
    });
  }

  private static String source(DefinitionDocument doc, int index) {
    return doc.label() != null ? doc.label() : "#" + index;
  }

  /** Millisecond precision: what both databases store exactly, so reads equal writes. */
  protected Instant now() {
    return context.clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
