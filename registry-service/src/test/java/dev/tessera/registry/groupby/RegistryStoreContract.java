package dev.tessera.registry.groupby;

import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.registry.MutableClock;
import dev.tessera.registry.StoreFixture;
import dev.tessera.registry.definition.BatchResult;
import dev.tessera.registry.definition.Change;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DefinitionNotFoundException;
import dev.tessera.registry.definition.DefinitionStatus;
import dev.tessera.registry.definition.DefinitionTooLargeException;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.HistoryEvent;
import dev.tessera.registry.definition.InvalidDefinitionException;
import dev.tessera.registry.definition.LocatedProblem;
import dev.tessera.registry.definition.Precondition;
import dev.tessera.registry.definition.PublishResult;
import dev.tessera.registry.definition.RetireResult;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.definition.VersionConflictException;
import dev.tessera.registry.publish.OutboxRecord;
import dev.tessera.registry.publish.OutboxRepository;
import dev.tessera.registry.publish.PublicationState;
import dev.tessera.registry.rollout.Rollout;
import dev.tessera.registry.rollout.RolloutConflictException;
import dev.tessera.registry.rollout.RolloutState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The registry's storage rules, run against each database it supports (H2 in {@code *Test},
 * PostgreSQL in {@code *IT}): versions, metadata updates, retirement, history, the outbox written
 * in the same transaction, optimistic locking and concurrent writers.
 */
public abstract class RegistryStoreContract {
  protected static final String TOPIC = StoreFixture.TOPIC;

  protected MutableClock clock;
  protected JdbcClient jdbc;
  protected OutboxRepository outbox;
  protected GroupByRegistry registry;
  private StoreFixture store;

  /** A migrated, empty-enough database (tests use unique names). */
  public abstract DataSource dataSource();

  @BeforeEach
  void wire() {
    store = StoreFixture.on(dataSource());
    clock = store.clock();
    jdbc = store.jdbc();
    outbox = store.outbox();
    registry = store.groupBys();
  }

  private PublishResult<GroupBy, CompiledGroupBy> publish(String text) {
    return registry.publish(DefinitionDocument.of(text, DocumentFormat.YAML), Precondition.NONE, "alice");
  }

  private List<OutboxRecord> outboxOf(String name) {
    return store.outboxOf(name);
  }

  @Test
  void theFirstPublishStoresVersionOneAndItsOutboxRecordTogether() {
    String name = uniqueName("first");
    PublishResult<GroupBy, CompiledGroupBy> r = publish(yaml(name));
    assertThat(r.change()).isEqualTo(Change.CREATED);
    assertThat(r.summary().latestVersion()).isEqualTo(1);
    assertThat(r.summary().revision()).isEqualTo(1);
    assertThat(r.summary().featureCount()).isEqualTo(3);
    assertThat(r.publication().status()).isEqualTo(PublicationState.Status.PENDING);

    StoredVersion<GroupBy> v = registry.version(name, 1);
    assertThat(v.publishedAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
    assertThat(v.publishedBy()).isEqualTo("alice");
    assertThat(v.document()).isEqualTo(yaml(name));
    assertThat(v.documentFormat()).isEqualTo(DocumentFormat.YAML);

    List<OutboxRecord> records = outboxOf(name);
    assertThat(records).singleElement().satisfies(rec -> {
      assertThat(rec.topic()).isEqualTo(TOPIC);
      PublishedGroupBy p = PublishedGroupBy.fromJson(rec.payload());
      assertThat(p.version()).isEqualTo(1);
      assertThat(p.definition()).isEqualTo(v.definition());
      assertThat(p.publishedBy()).isEqualTo("alice");
      assertThat(p.publishedAt()).isEqualTo(v.publishedAt());
    });
    assertThat(registry.history(name)).extracting(HistoryEvent::change).containsExactly(Change.CREATED);
  }

  @Test
  void aMetadataChangeUpdatesTheLatestVersionInPlaceAndRepublishesIt() {
    String name = uniqueName("meta");
    publish(yaml(name, "risk", "1h"));
    clock.advance(Duration.ofMinutes(5));
    PublishResult<GroupBy, CompiledGroupBy> r = publish(yaml(name, "fraud", "1h").replace("online: true", "online: false"));
    assertThat(r.change()).isEqualTo(Change.METADATA_UPDATED);
    assertThat(r.previousVersion()).isEqualTo(1);
    assertThat(r.summary().latestVersion()).isEqualTo(1);
    assertThat(r.summary().revision()).isEqualTo(2);
    assertThat(r.summary().team()).isEqualTo("fraud");
    assertThat(r.summary().online()).isFalse();

    StoredVersion<GroupBy> v = registry.version(name, 1);
    assertThat(v.definition().team()).isEqualTo("fraud");
    assertThat(v.publishedAt()).as("a metadata update keeps the version's publication time").isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
    assertThat(v.updatedAt()).isEqualTo(Instant.parse("2026-11-25T10:05:00.123Z"));
    assertThat(registry.versions(name)).hasSize(1);
    assertThat(outboxOf(name)).extracting(rec -> PublishedGroupBy.fromJson(rec.payload()).definition().team())
        .containsExactly("risk", "fraud");
    assertThat(registry.history(name)).extracting(HistoryEvent::change).containsExactly(Change.METADATA_UPDATED, Change.CREATED);
  }

  @Test
  void anIdenticalPublishWritesAndPublishesNothing() {
    String name = uniqueName("same");
    publish(yaml(name));
    PublishResult<GroupBy, CompiledGroupBy> r = publish(yaml(name));
    assertThat(r.change()).isEqualTo(Change.UNCHANGED);
    assertThat(r.publication()).isEqualTo(PublicationState.NOTHING);
    assertThat(r.summary().revision()).isEqualTo(1);
    assertThat(outboxOf(name)).hasSize(1);
    assertThat(registry.history(name)).hasSize(1);
  }

  @Test
  void aComputationChangeMakesANewVersionAndKeepsTheOldOne() {
    String name = uniqueName("next");
    publish(yaml(name, "risk", "1h"));
    PublishResult<GroupBy, CompiledGroupBy> r = publish(yaml(name, "risk", "1h, 7d"));
    assertThat(r.change()).isEqualTo(Change.NEW_VERSION);
    assertThat(r.summary().latestVersion()).isEqualTo(2);
    assertThat(registry.versions(name)).extracting(StoredVersion::version).containsExactly(2, 1);
    assertThat(registry.version(name, 1).definition().aggregations().getFirst().windows()).hasSize(1);
    assertThat(registry.version(name, 2).definition().aggregations().getFirst().windows()).hasSize(2);
    // version 1 stays served; version 2 waits under the rollout key until its data is complete
    assertThat(outboxOf(name)).extracting(rec -> PublishedGroupBy.fromJson(rec.payload()).version()).containsExactly(1);
    assertThat(outboxOf(GroupByType.rolloutKey(name))).extracting(rec -> PublishedGroupBy.fromJson(rec.payload()).version()).containsExactly(2);
    assertThat(registry.rollout(name)).extracting(Rollout::liveVersion, Rollout::version, Rollout::state)
        .containsExactly(1, 2, RolloutState.PUBLISHED);

    DefinitionDiff d = registry.diff(name, null, null);
    assertThat(d.from()).isEqualTo(1);
    assertThat(d.to()).isEqualTo(2);
    assertThat(d.features().added()).containsExactly("amount_avg_7d");
  }

  @Test
  void retiringPublishesATombstoneAndPublishingAgainMakesANewVersion() {
    String name = uniqueName("retire");
    publish(yaml(name));
    RetireResult r = registry.retire(name, Precondition.NONE, "bob");
    assertThat(r.change()).isEqualTo(Change.RETIRED);
    assertThat(r.summary().status()).isEqualTo(DefinitionStatus.RETIRED);
    assertThat(r.summary().updatedBy()).isEqualTo("bob");
    assertThat(outboxOf(name)).extracting(OutboxRecord::isTombstone).containsExactly(false, true);

    assertThat(registry.retire(name, Precondition.NONE, "bob").change()).isEqualTo(Change.UNCHANGED);
    assertThat(outboxOf(name)).hasSize(2);

    PublishResult<GroupBy, CompiledGroupBy> again = publish(yaml(name));
    assertThat(again.change()).isEqualTo(Change.NEW_VERSION);
    assertThat(again.summary().latestVersion()).isEqualTo(2);
    assertThat(again.summary().status()).isEqualTo(DefinitionStatus.ACTIVE);
    assertThat(registry.history(name)).extracting(HistoryEvent::change)
        .containsExactly(Change.NEW_VERSION, Change.RETIRED, Change.CREATED);
  }

  @Test
  void unknownNamesAndVersionsAreNotFound() {
    String name = uniqueName("missing");
    assertThatThrownBy(() -> registry.summary(name)).isInstanceOf(DefinitionNotFoundException.class)
        .hasMessage("No GroupBy named '" + name + "' is registered");
    assertThatThrownBy(() -> registry.retire(name, Precondition.NONE, "bob")).isInstanceOf(DefinitionNotFoundException.class);
    publish(yaml(name));
    assertThatThrownBy(() -> registry.version(name, 7)).isInstanceOf(DefinitionNotFoundException.class)
        .hasMessage("GroupBy " + name + " has no version 7 (versions 1 to 1 exist)");
  }

  @Test
  void aStaleWriterGetsAConflictAndChangesNothing() {
    String name = uniqueName("stale");
    publish(yaml(name, "risk", "1h"));
    publish(yaml(name, "risk", "2h"));
    Precondition stale = new Precondition(1, null, false);
    assertThatThrownBy(() -> registry.publish(DefinitionDocument.of(yaml(name, "risk", "3h"), DocumentFormat.YAML), stale, "carol"))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageContaining("its latest version is 2, not 1")
        .satisfies(e -> assertThat(((VersionConflictException) e).currentEtag()).isEqualTo("2.2"));
    assertThat(registry.summary(name).latestVersion()).isEqualTo(2);

    // an ETag also catches a concurrent metadata-only edit (same version, newer revision)
    publish(yaml(name, "fraud", "2h"));
    assertThatThrownBy(() -> registry.retire(name, new Precondition(2, 2L, false), "carol"))
        .isInstanceOf(VersionConflictException.class).hasMessageContaining("revision 3, not 2");
    assertThat(registry.retire(name, new Precondition(2, 3L, false), "carol").change()).isEqualTo(Change.RETIRED);
  }

  @Test
  void createOnlyConflictsWhenTheNameExists() {
    String name = uniqueName("create_only");
    Precondition createOnly = new Precondition(0, null, false);
    assertThat(registry.publish(DefinitionDocument.of(yaml(name), DocumentFormat.YAML), createOnly, "a").change()).isEqualTo(Change.CREATED);
    assertThatThrownBy(() -> registry.publish(DefinitionDocument.of(yaml(name, "x", "1h"), DocumentFormat.YAML), createOnly, "b"))
        .isInstanceOf(VersionConflictException.class).hasMessageContaining("it already exists at version 1");
  }

  @Test
  void anInvalidDefinitionStoresNothing() {
    String name = uniqueName("invalid");
    assertThatThrownBy(() -> publish(yaml(name, "risk", "1h, 9q")))
        .isInstanceOf(InvalidDefinitionException.class)
        .satisfies(e -> assertThat(((InvalidDefinitionException) e).validation().problems())
            .extracting(LocatedProblem::path).containsExactly("$.aggregations[0].windows[1]"));
    assertThatThrownBy(() -> registry.summary(name)).isInstanceOf(DefinitionNotFoundException.class);
    assertThat(outboxOf(name)).isEmpty();
  }

  @Test
  void concurrentWritersOfOneNameAreSerialisedIntoDistinctVersions() throws Exception {
    String name = uniqueName("race");
    int writers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<PublishResult<GroupBy, CompiledGroupBy>>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        String text = yaml(name, "risk", (i + 1) + "h");
        Callable<PublishResult<GroupBy, CompiledGroupBy>> call = () -> {
          start.await();
          return publish(text);
        };
        results.add(pool.submit(call));
      }
      start.countDown();
      List<Integer> versions = new ArrayList<>();
      for (Future<PublishResult<GroupBy, CompiledGroupBy>> f : results) versions.add(f.get().summary().latestVersion());
      Collections.sort(versions);
      assertThat(versions).containsExactly(1, 2, 3, 4, 5, 6);
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.summary(name).latestVersion()).isEqualTo(writers);
    assertThat(registry.summary(name).revision()).isEqualTo(writers);
    // the outbox holds them in commit order, so the relay publishes the last version last: the first
    // is live, each later one is held back and supersedes the one before
    assertThat(outboxOf(name)).extracting(rec -> PublishedGroupBy.fromJson(rec.payload()).version()).containsExactly(1);
    assertThat(outboxOf(GroupByType.rolloutKey(name))).extracting(rec -> PublishedGroupBy.fromJson(rec.payload()).version())
        .containsExactly(2, 3, 4, 5, 6);
    assertThat(registry.rollout(name).version()).isEqualTo(writers);
  }

  @Test
  void aNewVersionIsServedOnlyWhenSwitchedLiveAndTheSwitchClearsTheRolloutKey() {
    String name = uniqueName("roll");
    publish(yaml(name, "risk", "1h"));
    publish(yaml(name, "risk", "1h, 7d"));
    // a metadata change of the held-back version stays under the rollout key
    publish(yaml(name, "risk-team", "1h, 7d"));
    assertThat(outboxOf(GroupByType.rolloutKey(name))).hasSize(2).allMatch(rec -> !rec.isTombstone());
    assertThat(registry.rollout(name).version()).isEqualTo(2);

    Rollout live = registry.switchLive(name, 2, clock.instant(), "purged later");
    assertThat(live).extracting(Rollout::liveVersion, Rollout::version, Rollout::state).containsExactly(2, 2, RolloutState.LIVE);
    assertThat(live.steps()).filteredOn(s -> s.step().equals("switch")).extracting(s -> s.status()).containsExactly("DONE");
    assertThat(live.replaced()).isEqualTo(1);
    assertThat(registry.purgesPending()).extracting(Rollout::name).contains(name);
    assertThat(outboxOf(name)).extracting(rec -> PublishedGroupBy.fromJson(rec.payload()).version()).containsExactly(1, 2);
    assertThat(outboxOf(GroupByType.rolloutKey(name)).getLast().isTombstone()).isTrue();
    assertThat(outboxOf(name).getLast().id()).as("the live record goes first, then the rollout key is cleared")
        .isLessThan(outboxOf(GroupByType.rolloutKey(name)).getLast().id());
    // nothing left to switch
    assertThatThrownBy(() -> registry.switchLive(name, 2, clock.instant(), "purged later")).isInstanceOf(RolloutConflictException.class);
    // a metadata change of the live version goes under the bare name again
    publish(yaml(name, "risk", "1h, 7d"));
    assertThat(outboxOf(name)).hasSize(3);
  }

  @Test
  void anOfflineVersionOrOneAfterRetirementIsLiveAtOnceAndRetiringClearsARollout() {
    String name = uniqueName("roll_off");
    publish(yaml(name, "risk", "1h"));
    publish(yaml(name, "risk", "1h, 7d"));
    assertThat(registry.rollout(name).state()).isEqualTo(RolloutState.PUBLISHED);
    registry.retire(name, Precondition.NONE, "bob");
    assertThat(outboxOf(GroupByType.rolloutKey(name)).getLast().isTombstone()).isTrue();
    assertThat(outboxOf(name).getLast().isTombstone()).isTrue();
    assertThatThrownBy(() -> registry.rollout(name)).isInstanceOf(DefinitionNotFoundException.class);

    // published again after retirement: nothing is served, so nothing to keep
    publish(yaml(name, "risk", "1h, 30d"));
    assertThat(registry.rollout(name)).extracting(Rollout::liveVersion, Rollout::state).containsExactly(3, RolloutState.LIVE);
    // an offline version serves nothing: live at once too
    publish(yaml(name, "risk", "1d").replace("online: true", "online: false"));
    assertThat(registry.rollout(name)).extracting(Rollout::liveVersion, Rollout::state).containsExactly(4, RolloutState.LIVE);
    assertThat(outboxOf(name).getLast().isTombstone()).isFalse();
  }

  @Test
  void ofTwoConcurrentCreateOnlyWritersExactlyOneWins() throws Exception {
    String name = uniqueName("race_create");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Object>> results = new ArrayList<>();
      for (String window : List.of("1h", "2h")) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            return registry.publish(DefinitionDocument.of(yaml(name, "risk", window), DocumentFormat.YAML), new Precondition(0, null, false), "w");
          } catch (VersionConflictException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<Object> outcomes = List.of(results.get(0).get(), results.get(1).get());
      assertThat(outcomes).filteredOn(o -> o instanceof PublishResult<?, ?>).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o instanceof VersionConflictException).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.versions(name)).hasSize(1);
  }

  @Test
  void aBatchIsAllOrNothing() {
    String a = uniqueName("batch_a");
    String b = uniqueName("batch_b");
    List<DefinitionDocument> withBadOne = List.of(
        new DefinitionDocument(yaml(a), DocumentFormat.YAML, "a.yaml"),
        new DefinitionDocument(yaml(b, "risk", "1h, 0h"), DocumentFormat.YAML, "b.yaml"));
    BatchResult refused = registry.publishAll(withBadOne, false, "ci");
    assertThat(refused.valid()).isFalse();
    assertThat(refused.published()).isFalse();
    assertThat(refused.items()).extracting(BatchResult.Item::valid).containsExactly(true, false);
    assertThat(refused.items().get(1).problems()).extracting(LocatedProblem::path).containsExactly("$.aggregations[0].windows[1]");
    assertThat(refused.items().get(1).source()).isEqualTo("b.yaml");
    assertThatThrownBy(() -> registry.summary(a)).isInstanceOf(DefinitionNotFoundException.class);

    List<DefinitionDocument> good = List.of(new DefinitionDocument(yaml(a), DocumentFormat.YAML, "a.yaml"),
        new DefinitionDocument(yaml(b), DocumentFormat.YAML, "b.yaml"));
    BatchResult plan = registry.publishAll(good, true, "ci");
    assertThat(plan.valid()).isTrue();
    assertThat(plan.published()).isFalse();
    assertThat(plan.items()).extracting(BatchResult.Item::change).containsExactly(Change.CREATED, Change.CREATED);
    assertThatThrownBy(() -> registry.summary(a)).isInstanceOf(DefinitionNotFoundException.class);

    BatchResult done = registry.publishAll(good, false, "ci");
    assertThat(done.published()).isTrue();
    assertThat(done.items()).extracting(BatchResult.Item::version).containsExactly(1, 1);
    assertThat(registry.summary(b).updatedBy()).isEqualTo("ci");

    BatchResult again = registry.publishAll(List.of(new DefinitionDocument(yaml(a, "risk", "1h"), DocumentFormat.YAML, "a.yaml"),
        new DefinitionDocument(yaml(b), DocumentFormat.YAML, "b.yaml")), true, "ci");
    assertThat(again.items()).extracting(BatchResult.Item::change).containsExactly(Change.NEW_VERSION, Change.UNCHANGED);
    assertThat(again.items()).extracting(BatchResult.Item::version).containsExactly(2, 1);
  }

  @Test
  void aNameTwiceInABatchIsAProblemOnBoth() {
    String a = uniqueName("dup");
    BatchResult r = registry.publishAll(List.of(new DefinitionDocument(yaml(a), DocumentFormat.YAML, "one.yaml"),
        new DefinitionDocument(yaml(a, "x", "2h"), DocumentFormat.YAML, "two.yaml")), false, "ci");
    assertThat(r.valid()).isFalse();
    assertThat(r.items().get(0).problems()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("$.name");
      assertThat(p.line()).isEqualTo(1);
      assertThat(p.message()).isEqualTo("'" + a + "' is also defined by two.yaml in this batch");
    });
    assertThat(r.items().get(1).problems()).singleElement().extracting(LocatedProblem::message)
        .isEqualTo("'" + a + "' is also defined by one.yaml in this batch");
  }

  @Test
  void textRoundTripsExactlyIncludingNonAscii() {
    String name = uniqueName("unicode");
    String text = yaml(name).replace("purchase statistics per user", "Käufe je Nutzer — ø 1h, 🧮");
    publish(text);
    assertThat(registry.version(name, 1).document()).isEqualTo(text);
    assertThat(registry.summary(name).description()).isEqualTo("Käufe je Nutzer — ø 1h, 🧮");
  }

  /**
   * Escapes make the canonical JSON far larger than the text: a description of control-character
   * escapes ({@code \\a}, the bell) is 2 characters a piece in YAML and 6 in JSON. The limit applies
   * to what goes on the topic.
   */
  @Test
  void aDefinitionWhosePublishedRecordWouldNotFitIsRefusedAndNothingIsStored() {
    String name = uniqueName("huge");
    String text = yaml(name).replace("description: purchase statistics per user",
        "description: \"" + "\\a".repeat((int) (StoreFixture.MAX_RECORD_BYTES / 6) + 100) + "\"");
    assertThat((long) text.length()).isLessThan(StoreFixture.MAX_RECORD_BYTES);
    assertThatThrownBy(() -> publish(text))
        .isInstanceOfSatisfying(DefinitionTooLargeException.class, e -> {
          assertThat(e.limitBytes()).isEqualTo(StoreFixture.MAX_RECORD_BYTES);
          assertThat(e.bytes()).isGreaterThan(StoreFixture.MAX_RECORD_BYTES);
          assertThat(e.getMessage()).contains("max-record-bytes");
        });
    assertThatThrownBy(() -> registry.summary(name)).isInstanceOf(DefinitionNotFoundException.class);
    assertThat(outboxOf(name)).isEmpty();
  }

  /** PostgreSQL stores no NUL in text: one in the description is a validation problem, not a failed insert. */
  @Test
  void aNulCharacterInTheDescriptionIsAProblemWithItsPath() {
    String name = uniqueName("nul");
    String text = yaml(name).replace("description: purchase statistics per user", "description: \"before\\0after\"");
    assertThatThrownBy(() -> publish(text)).isInstanceOfSatisfying(InvalidDefinitionException.class,
        e -> assertThat(e.validation().problems()).extracting(LocatedProblem::path).contains("$.description"));
    assertThatThrownBy(() -> registry.summary(name)).isInstanceOf(DefinitionNotFoundException.class);
  }

  @Test
  void aFailedRecordLeavesTheLineUntilItIsRetriedOrDropped() {
    long poisoned = outbox.append("t", "k-poison", "x", clock.instant());
    long next = outbox.append("t", "k-next", "y", clock.instant());
    outbox.markFailed(poisoned, "RecordTooLargeException: too large", clock.instant());
    assertThat(outbox.pending(10_000)).extracting(OutboxRecord::id).contains(next).doesNotContain(poisoned);
    assertThat(outbox.unsent(List.of(poisoned))).isZero();
    assertThat(outbox.failedAmong(List.of(poisoned, next))).isOne();
    assertThat(outbox.failed(10_000)).filteredOn(r -> r.id() == poisoned).singleElement()
        .satisfies(r -> assertThat(r.lastError()).contains("RecordTooLargeException"));

    assertThat(outbox.requeue(poisoned)).isTrue();
    assertThat(outbox.pending(10_000)).extracting(OutboxRecord::id).containsSubsequence(poisoned, next);
    outbox.markFailed(poisoned, "again", clock.instant());
    assertThat(outbox.drop(poisoned, clock.instant())).isTrue();
    assertThat(outbox.failed(10_000)).extracting(OutboxRecord::id).doesNotContain(poisoned);
    assertThat(outbox.requeue(poisoned)).as("a dropped record stays dropped").isFalse();
    outbox.markSent(List.of(next), clock.instant());
  }

  @Test
  void aFailedRecordIsSupersededOnceANewerRecordOfItsNameWasSent() {
    String key = uniqueName("k");
    long old = outbox.append("t", key, "v1", clock.instant());
    long newer = outbox.append("t", key, "v2", clock.instant());
    outbox.markFailed(old, "too large", clock.instant());
    OutboxRecord failed = outbox.find(old).orElseThrow();
    assertThat(outbox.supersededBySent(failed)).isFalse();
    outbox.markSent(List.of(newer), clock.instant());
    assertThat(outbox.supersededBySent(failed)).isTrue();
    outbox.drop(old, clock.instant());
  }

  @Test
  void theOutboxIsReadInOrderAndMarkedSent() {
    long first = outbox.append("t", "k1", "a", clock.instant());
    long second = outbox.append("t", "k1", null, clock.instant());
    assertThat(second).isGreaterThan(first);
    List<OutboxRecord> pending = outbox.pending(10_000);
    assertThat(pending).extracting(OutboxRecord::id).containsSubsequence(first, second);
    outbox.recordFailure(first, "broker down");
    assertThat(outbox.lastPendingError()).isPresent();
    outbox.markSent(List.of(first, second), clock.instant());
    assertThat(outbox.unsent(List.of(first, second))).isZero();
    assertThat(outbox.pending(10_000)).extracting(OutboxRecord::id).doesNotContain(first, second);
  }

  @Test
  void onlyOneRelayHoldsTheLeaseUntilItExpires() {
    Instant now = clock.instant();
    Duration ttl = Duration.ofSeconds(30);
    String a = uniqueName("relay_a");
    String b = uniqueName("relay_b");
    try {
      assertThat(outbox.tryLease(a, now, ttl)).isTrue();
      assertThat(outbox.tryLease(b, now.plusSeconds(10), ttl)).isFalse();
      assertThat(outbox.tryLease(a, now.plusSeconds(10), ttl)).as("the holder renews").isTrue();
      assertThat(outbox.tryLease(b, now.plusSeconds(41), ttl)).as("taken over after expiry").isTrue();
      outbox.releaseLease(b);
      assertThat(outbox.tryLease(a, now.plusSeconds(42), ttl)).isTrue();
    } finally {
      outbox.releaseLease(a);
      outbox.releaseLease(b);
    }
  }
}
