package dev.tessera.registry.groupby;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.GroupByWriter;
import dev.tessera.agg.definition.ParseResult;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DefinitionType;
import dev.tessera.registry.definition.Kind;
import dev.tessera.registry.definition.StoredVersion;
import dev.tessera.registry.definition.Validation;

/**
 * GroupBys as the registry stores and publishes them: tables {@code groupby*}, registry topic key =
 * the bare name, value = {@link PublishedGroupBy} JSON (DESIGN.md "Modules").
 */
public final class GroupByType implements DefinitionType<GroupBy, CompiledGroupBy> {
  public static final GroupByType INSTANCE = new GroupByType();

  private GroupByType() {}

  @Override
  public Kind kind() {
    return Kind.GROUPBY;
  }

  @Override
  public String table() {
    return "groupby";
  }

  @Override
  public Validation<GroupBy, CompiledGroupBy> validate(DefinitionDocument doc) {
    return DefinitionValidator.validate(doc);
  }

  @Override
  public boolean sameComputation(GroupBy a, GroupBy b) {
    return a.sameComputation(b);
  }

  @Override
  public Metadata metadata(GroupBy g) {
    return new Metadata(g.name(), g.team(), g.description(), g.online());
  }

  @Override
  public int featureCount(CompiledGroupBy compiled) {
    return compiled.features().size();
  }

  @Override
  public String toStorageJson(GroupBy g) {
    return GroupByWriter.toCompactJson(g);
  }

  /** Definitions are stored only after they compiled, so one that no longer reads is corruption, not user error. */
  @Override
  public GroupBy fromStorageJson(String json, String name, int version) {
    ParseResult parsed = GroupByReader.read(json, GroupByReader.Format.JSON);
    if (!parsed.ok()) {
      throw new IllegalStateException("stored definition of " + name + " v" + version + " does not read: " + parsed.problems());
    }
    return parsed.groupBy();
  }

  @Override
  public String topicKey(String name) {
    return name;
  }

  /** The key of a version being rolled out (DESIGN.md "Version rollout"): the live one stays under the bare name. */
  public static String rolloutKey(String name) {
    return PublishedGroupBy.rolloutKey(name);
  }

  @Override
  public String publishedJson(StoredVersion<GroupBy> v) {
    return published(v).toJson();
  }

  /** The record of a version on the registry topic. */
  public static PublishedGroupBy published(StoredVersion<GroupBy> v) {
    return new PublishedGroupBy(v.name(), v.version(), v.definition(), v.publishedAt(), v.publishedBy());
  }
}
