package dev.tessera.registry.join;

import static dev.tessera.registry.Definitions.joinYaml;
import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tessera.agg.join.Join;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.registry.StoreFixture;
import dev.tessera.registry.definition.Change;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DefinitionInUseException;
import dev.tessera.registry.definition.DefinitionStatus;
import dev.tessera.registry.definition.DocumentFormat;
import dev.tessera.registry.definition.HistoryEvent;
import dev.tessera.registry.definition.InvalidDefinitionException;
import dev.tessera.registry.definition.Precondition;
import dev.tessera.registry.definition.PublishResult;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.publish.OutboxRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The storage rules of Joins, run with the GroupBy contract against each database
 * ({@code H2RegistryStoreTest}, {@code PostgresRegistryStoreIT}): the GroupBy rules for versions,
 * retirement, history and the outbox (under {@code join:<name>}), plus what a Join needs of its
 * GroupBys: a retired one does not resolve, and one an active Join reads cannot be retired, even
 * when both happen at the same time.
 */
public interface JoinStoreContract {

  /** A migrated, empty-enough database (tests use unique names). */
  DataSource dataSource();

  private static PublishResult<?, ?> publishGroupBy(StoreFixture s, String text) {
    return s.groupBys().publish(DefinitionDocument.of(text, DocumentFormat.YAML), Precondition.NONE, "alice");
  }

  private static PublishResult<Join, ?> publishJoin(StoreFixture s, String text) {
    return s.joins().publish(DefinitionDocument.of(text, DocumentFormat.YAML), Precondition.NONE, "alice");
  }

  /** A fresh GroupBy of {@code Definitions.yaml}. */
  private static String groupBy(StoreFixture s) {
    String g = uniqueName("sg");
    publishGroupBy(s, yaml(g));
    return g;
  }

  @Test
  default void aJoinIsStoredWithItsPartsAndItsRecordGoesToTheOutboxUnderItsOwnKey() {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    String name = uniqueName("sj_first");
    PublishResult<Join, ?> r = publishJoin(s, joinYaml(name, g));
    assertThat(r.change()).isEqualTo(Change.CREATED);
    assertThat(r.summary().latestVersion()).isEqualTo(1);
    assertThat(r.summary().featureCount()).as("output columns").isEqualTo(6);
    assertThat(r.summary().team()).isEqualTo("risk");

    StoredVersion<Join> v = s.joins().version(name, 1);
    assertThat(v.document()).isEqualTo(joinYaml(name, g));
    assertThat(v.definition().parts()).singleElement().satisfies(p -> assertThat(p.groupBy()).isEqualTo(g));
    assertThat(v.publishedAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
    assertThat(s.joinParts().of(name, 1)).containsExactly(new JoinParts.Stored(0, g, null, 1));

    assertThat(s.outboxOf(PublishedJoin.topicKey(name))).singleElement().satisfies(rec -> {
      assertThat(rec.key()).isEqualTo("join:" + name);
      PublishedJoin p = PublishedJoin.fromJson(rec.payload());
      assertThat(p.version()).isEqualTo(1);
      assertThat(p.definition()).isEqualTo(v.definition());
      assertThat(p.publishedBy()).isEqualTo("alice");
    });
    assertThat(s.outboxOf(name)).as("nothing under the bare name, which is a GroupBy's key").isEmpty();
    assertThat(s.outboxOf(g)).singleElement().satisfies(rec -> assertThat(PublishedGroupBy.fromJson(rec.payload()).name()).isEqualTo(g));
    assertThat(s.joins().history(name)).extracting(HistoryEvent::change).containsExactly(Change.CREATED);
  }

  @Test
  default void anIdenticalPublishWritesNothingMetadataUpdatesInPlaceAndANewComputationIsANewVersion() {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    String name = uniqueName("sj_versions");
    publishJoin(s, joinYaml(name, g));
    PublishResult<Join, ?> same = publishJoin(s, joinYaml(name, g));
    assertThat(same.change()).isEqualTo(Change.UNCHANGED);
    assertThat(same.summary().revision()).isEqualTo(1);

    s.clock().advance(Duration.ofMinutes(5));
    PublishResult<Join, ?> meta = publishJoin(s, joinYaml(name, g, "fraud", "amount_now / buyer_amount_avg_24h"));
    assertThat(meta.change()).isEqualTo(Change.METADATA_UPDATED);
    assertThat(meta.summary().latestVersion()).isEqualTo(1);
    assertThat(s.joins().version(name, 1).definition().team()).isEqualTo("fraud");
    assertThat(s.joins().version(name, 1).publishedAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));

    PublishResult<Join, ?> next = publishJoin(s, joinYaml(name, g, "fraud", "amount_now * 2.0"));
    assertThat(next.change()).isEqualTo(Change.NEW_VERSION);
    assertThat(next.summary().latestVersion()).isEqualTo(2);
    assertThat(s.joins().versions(name)).extracting(StoredVersion::version).containsExactly(2, 1);
    assertThat(s.joinParts().of(name, 2)).containsExactly(new JoinParts.Stored(0, g, null, 1));
    assertThat(s.outboxOf(PublishedJoin.topicKey(name))).extracting(rec -> PublishedJoin.fromJson(rec.payload()).version())
        .containsExactly(1, 1, 2);
    assertThat(s.joins().history(name)).extracting(HistoryEvent::change)
        .containsExactly(Change.NEW_VERSION, Change.METADATA_UPDATED, Change.CREATED);
  }

  @Test
  default void retiringAJoinPublishesATombstoneAndPublishingAgainMakesANewVersion() {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    String name = uniqueName("sj_retire");
    publishJoin(s, joinYaml(name, g));
    assertThat(s.joins().retire(name, Precondition.NONE, "bob").summary().status()).isEqualTo(DefinitionStatus.RETIRED);
    assertThat(s.joins().retire(name, Precondition.NONE, "bob").change()).isEqualTo(Change.UNCHANGED);
    assertThat(s.outboxOf(PublishedJoin.topicKey(name))).extracting(OutboxRecord::isTombstone).containsExactly(false, true);
    PublishResult<Join, ?> again = publishJoin(s, joinYaml(name, g));
    assertThat(again.change()).isEqualTo(Change.NEW_VERSION);
    assertThat(again.summary().status()).isEqualTo(DefinitionStatus.ACTIVE);
  }

  @Test
  default void aRetiredGroupByDoesNotResolveAndTheJoinIsRefused() {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    s.groupBys().retire(g, Precondition.NONE, "bob");
    String name = uniqueName("sj_retired_gb");
    assertThatThrownBy(() -> publishJoin(s, joinYaml(name, g)))
        .isInstanceOf(InvalidDefinitionException.class)
        .satisfies(e -> assertThat(((InvalidDefinitionException) e).validation().problems()).singleElement().satisfies(p -> {
          assertThat(p.path()).isEqualTo("$.parts[0].groupBy");
          assertThat(p.line()).isEqualTo(10);
          assertThat(p.message()).contains("GroupBy '" + g + "' is retired");
        }));
    assertThat(s.joins().list()).extracting(x -> x.name()).doesNotContain(name);
    assertThat(s.outboxOf(PublishedJoin.topicKey(name))).isEmpty();
  }

  @Test
  default void aGroupByThatTheLatestVersionOfAnActiveJoinReadsCannotBeRetired() {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    String other = groupBy(s);
    String name = uniqueName("sj_guard");
    publishJoin(s, joinYaml(name, g));
    assertThatThrownBy(() -> s.groupBys().retire(g, Precondition.NONE, "bob"))
        .isInstanceOf(DefinitionInUseException.class)
        .satisfies(e -> assertThat(((DefinitionInUseException) e).users()).containsExactly(name))
        .hasMessageContaining("the active Join " + name + " uses it");
    assertThat(s.groupBys().summary(g).status()).isEqualTo(DefinitionStatus.ACTIVE);
    assertThat(s.outboxOf(g)).hasSize(1);

    // its new version reads another GroupBy: the first one is free again
    publishJoin(s, joinYaml(name, other));
    assertThat(s.groupBys().retire(g, Precondition.NONE, "bob").change()).isEqualTo(Change.RETIRED);
    // and a retired Join holds nothing
    s.joins().retire(name, Precondition.NONE, "bob");
    assertThat(s.groupBys().retire(other, Precondition.NONE, "bob").change()).isEqualTo(Change.RETIRED);
  }

  @Test
  default void aGroupByVersionThatAnActiveJoinCouldNotCompileAgainstIsRolledBack() {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    String name = uniqueName("sj_breaks");
    publishJoin(s, joinYaml(name, g));
    assertThatThrownBy(() -> publishGroupBy(s, yaml(g, "risk", "1h")))
        .isInstanceOf(DefinitionInUseException.class)
        .satisfies(e -> assertThat(((DefinitionInUseException) e).users()).containsExactly(name))
        .hasMessageContaining("$.derivations[0].expression");
    assertThat(s.groupBys().summary(g).latestVersion()).isEqualTo(1);
    assertThat(s.groupBys().versions(g)).hasSize(1);
    assertThat(s.outboxOf(g)).as("nothing of the refused version was published").hasSize(1);
    // a version that keeps what the Join reads is fine
    assertThat(publishGroupBy(s, yaml(g, "risk", "1h, 24h, 7d")).change()).isEqualTo(Change.NEW_VERSION);
  }

  /**
   * A Join publish whose transaction has not committed yet holds its GroupBy: a retirement started
   * meanwhile waits for it and then sees the Join.
   */
  @Test
  default void aRetirementWaitsForAJoinPublishInFlightAndIsRefused() throws Exception {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    String name = uniqueName("sj_race_join");
    Object retired = whileUncommitted(s, () -> publishJoin(s, joinYaml(name, g)), () -> {
      try {
        return s.groupBys().retire(g, Precondition.NONE, "bob");
      } catch (DefinitionInUseException e) {
        return e;
      }
    });
    assertThat(retired).isInstanceOf(DefinitionInUseException.class);
    assertThat(s.groupBys().summary(g).status()).isEqualTo(DefinitionStatus.ACTIVE);
  }

  /** A retirement that has not committed yet holds the GroupBy: a Join publish started meanwhile waits and then sees it retired. */
  @Test
  default void aJoinPublishWaitsForARetirementInFlightAndIsRefused() throws Exception {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    String name = uniqueName("sj_race_retire");
    Object joined = whileUncommitted(s, () -> s.groupBys().retire(g, Precondition.NONE, "bob"), () -> {
      try {
        return publishJoin(s, joinYaml(name, g));
      } catch (InvalidDefinitionException e) {
        return e;
      }
    });
    assertThat(joined).isInstanceOf(InvalidDefinitionException.class);
    assertThat(((InvalidDefinitionException) joined).getMessage()).contains("is retired");
    assertThat(s.joins().list()).extracting(x -> x.name()).doesNotContain(name);
  }

  /**
   * Runs {@code first} in a transaction that stays open for a while after it, and {@code second}
   * (on another thread) once {@code first} is done but not committed; returns what {@code second}
   * gave. Without row locks {@code second} would finish before the commit and miss {@code first}.
   */
  private static Object whileUncommitted(StoreFixture s, Callable<?> first, Callable<Object> second) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch firstDone = new CountDownLatch(1);
    try {
      Future<?> holder = pool.submit(() -> s.context().tx().execute(status -> {
        try {
          first.call();
          firstDone.countDown();
          Thread.sleep(700);
          return null;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
      Future<Object> other = pool.submit(() -> {
        firstDone.await();
        return second.call();
      });
      holder.get(30, TimeUnit.SECONDS);
      return other.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void joinsAndGroupBysHaveTheirOwnNamespaces() {
    StoreFixture s = StoreFixture.on(dataSource());
    String g = groupBy(s);
    PublishResult<Join, ?> r = publishJoin(s, joinYaml(g, g));
    assertThat(r.change()).as("a Join may share its GroupBy's name").isEqualTo(Change.CREATED);
    assertThat(s.groupBys().summary(g).latestVersion()).isEqualTo(1);
    assertThat(s.outboxOf(g)).hasSize(1);
    assertThat(s.outboxOf("join:" + g)).hasSize(1);
    assertThat(s.joins().view(s.joins().summary(g), s.joins().version(g, 1)).parts())
        .singleElement().satisfies(p -> assertThat(p.resolvedVersion()).isEqualTo(1));
  }
}
