package dev.tessera.registry.join;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.Problem;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinCompileResult;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinParseResult;
import dev.tessera.agg.join.JoinPart;
import dev.tessera.agg.join.JoinReader;
import dev.tessera.agg.join.JoinWriter;
import dev.tessera.agg.registry.PublishedJoin;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.DefinitionType;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.definition.Validation;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins as the registry stores and publishes them (DESIGN-joins.md): tables {@code join_def*},
 * registry topic key {@code join:<name>}, value {@link PublishedJoin} JSON. A Join is compiled
 * against the GroupBys of the registry's own store; when it is written, those GroupBys are locked
 * and it is compiled again, so that it never reads a GroupBy retired meanwhile.
 */
public final class JoinType implements DefinitionType<Join, CompiledJoin> {
  private final DefinitionRepository<GroupBy> groupBys;
  private final JoinParts parts;

  public JoinType(DefinitionRepository<GroupBy> groupBys, JoinParts parts) {
    this.groupBys = groupBys;
    this.parts = parts;
  }

  @Override
  public Kind kind() {
    return Kind.JOIN;
  }

  @Override
  public String table() {
    return "join_def";
  }

  /** A resolver over the stored GroupBys, as they are now. */
  GroupByResolver groupBysNow() {
    return new StoredGroupBys(groupBys);
  }

  @Override
  public Validation<Join, CompiledJoin> validate(DefinitionDocument doc) {
    return validate(doc, groupBysNow());
  }

  @Override
  public Validation<Join, CompiledJoin> revalidate(Validation<Join, CompiledJoin> v) {
    StoredGroupBys locked = new StoredGroupBys(groupBys);
    locked.lock(v.definition().parts().stream().map(JoinPart::groupBy).toList());
    return validate(v.document(), locked);
  }

  private static Validation<Join, CompiledJoin> validate(DefinitionDocument doc, GroupByResolver resolver) {
    JoinParseResult parsed = JoinReader.read(doc.text());
    JoinCompileResult compiled = JoinCompiler.compile(doc.text(), resolver);
    Join join = compiled.ok() ? compiled.compiled().definition() : parsed.join();
    List<Problem> problems = new ArrayList<>(compiled.problems());
    if (join != null) problems.addAll(DefinitionSummary.storageProblems(join.team(), join.description()));
    return Validation.of(Kind.JOIN, doc, join == null ? null : join.name(), join, problems.isEmpty() ? compiled.compiled() : null,
        problems);
  }

  @Override
  public void versionStored(StoredVersion<Join> v, CompiledJoin compiled) {
    parts.insert(v.name(), v.version(), compiled);
  }

  @Override
  public boolean sameComputation(Join a, Join b) {
    return a.sameComputation(b);
  }

  @Override
  public Metadata metadata(Join j) {
    return new Metadata(j.name(), j.team(), j.description(), j.online());
  }

  @Override
  public int featureCount(CompiledJoin compiled) {
    return compiled.outputColumns().size();
  }

  @Override
  public String toStorageJson(Join j) {
    return JoinWriter.toJson(j);
  }

  /** Definitions are stored only after they compiled, so one that no longer reads is corruption, not user error. */
  @Override
  public Join fromStorageJson(String json, String name, int version) {
    JoinParseResult parsed = JoinReader.read(json);
    if (!parsed.ok()) {
      throw new IllegalStateException("stored Join " + name + " v" + version + " does not read: " + parsed.problems());
    }
    return parsed.join();
  }

  @Override
  public String topicKey(String name) {
    return PublishedJoin.topicKey(name);
  }

  @Override
  public String publishedJson(StoredVersion<Join> v) {
    return published(v).toJson();
  }

  /** The record of a version on the registry topic. */
  public static PublishedJoin published(StoredVersion<Join> v) {
    return new PublishedJoin(v.name(), v.version(), v.definition(), v.publishedAt(), v.publishedBy());
  }
}
