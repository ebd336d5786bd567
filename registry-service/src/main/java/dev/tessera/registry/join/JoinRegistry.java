package dev.tessera.registry.join;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.GroupByResolver;
import dev.tessera.agg.join.Join;
import dev.tessera.agg.join.JoinCompileResult;
import dev.tessera.agg.join.JoinCompiler;
import dev.tessera.agg.join.JoinWriter;
import dev.tessera.registry.definition.DefinitionDocument;
import dev.tessera.registry.definition.DefinitionRegistry;
import dev.tessera.registry.definition.DefinitionRepository;
import dev.tessera.registry.definition.DefinitionSummary;
import dev.tessera.registry.definition.LineDiff;
import dev.tessera.registry.definition.LocatedProblem;
import dev.tessera.registry.definition.PublishContext;
import dev.tessera.registry.definition.StoredVersion;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registers, versions, retires and publishes Joins ({@link DefinitionRegistry}: the rules of
 * GroupBys), checks them against the registry's GroupBys, and shows what a stored Join is now.
 */
public final class JoinRegistry extends DefinitionRegistry<Join, CompiledJoin> {
  /** Unchanged lines shown around each change of a diff. */
  private static final int CONTEXT_LINES = 3;

  private final JoinType joins;
  private final JoinParts parts;

  public JoinRegistry(JoinType type, DefinitionRepository<Join> repository, PublishContext context, JoinParts parts) {
    super(type, repository, context, List.of());
    this.joins = type;
    this.parts = parts;
  }

  /** The Join tables. */
  public static DefinitionRepository<Join> repository(JdbcClient jdbc, JoinType type) {
    return new DefinitionRepository<>(jdbc, type);
  }

  /** A resolver of the GroupBys as the registry has them now. */
  public GroupByResolver groupBysNow() {
    return joins.groupBysNow();
  }

  /** A stored version as the API and the UI show it: compiled against the GroupBys now. */
  public JoinView view(DefinitionSummary s, StoredVersion<Join> v) {
    GroupByResolver now = groupBysNow();
    JoinCompileResult r = JoinCompiler.compile(v.definition(), now);
    List<LocatedProblem> problems = r.ok() ? List.of()
        : LocatedProblem.locate(DefinitionDocument.of(v.document(), v.documentFormat()), r.problems());
    return JoinView.of(s, v, r.compiled(), problems, now, parts.of(v.name(), v.version()));
  }

  /** The active Joins whose latest version reads this GroupBy. */
  public List<String> activeJoinsUsing(String groupBy) {
    return parts.activeJoinsUsing(groupBy);
  }

  /** What changed between two versions: whether the data changed, and the canonical YAML line by line. */
  public record JoinDiff(String name, int from, int to, boolean sameComputation, boolean empty, List<LineDiff.Line> document) {}

  /** Defaults: the latest version against the one before it. */
  public JoinDiff diff(String name, Integer from, Integer to) {
    DefinitionSummary s = summary(name);
    int t = to == null ? s.latestVersion() : to;
    int f = from == null ? Math.max(1, t - 1) : from;
    Join a = version(name, f).definition();
    Join b = version(name, t).definition();
    return new JoinDiff(name, f, t, a.sameComputation(b), a.equals(b),
        LineDiff.diff(JoinWriter.toYaml(a), JoinWriter.toYaml(b), CONTEXT_LINES));
  }
}
