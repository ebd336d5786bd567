package dev.tessera.registry.rollout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import dev.tessera.registry.definition.DefinitionRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rollout state of GroupBy versions (V4__rollout.sql): {@code groupby.live_version} and one
 * {@code groupby_rollout} row per version that was held back. Runs inside the caller's transaction.
 */
public final class RolloutRepository {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String COLUMNS = "name, version, state, steps, error, started_at, updated_at, replaced";

  private final JdbcClient jdbc;

  public RolloutRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The version the topic announces under the bare name; empty before the first or after retirement. */
  public Optional<Integer> liveVersion(String name) {
    return jdbc.sql("SELECT live_version FROM groupby WHERE name = ?").param(name)
        .query((rs, i) -> (Integer) rs.getObject(1)).optional().filter(v -> v != null);
  }

  public void setLiveVersion(String name, Integer version) {
    jdbc.sql("UPDATE groupby SET live_version = ? WHERE name = ?").params(version, name).update();
  }

  /** The newest held-back version that is still on its way, with its live version. */
  public Optional<Rollout> pending(String name) {
    return latest(name).filter(r -> r.state().isPending());
  }

  /** The newest rollout row of the name, whatever its state. */
  public Optional<Rollout> latest(String name) {
    Integer live = liveVersion(name).orElse(null);
    return jdbc.sql("SELECT " + COLUMNS + " FROM groupby_rollout WHERE name = ? ORDER BY version DESC FETCH FIRST 1 ROWS ONLY")
        .param(name).query((rs, i) -> row(rs, live)).optional();
  }

  /** How many GroupBy versions are in {@code state} now. */
  public long count(RolloutState state) {
    return jdbc.sql("SELECT count(*) FROM groupby_rollout WHERE state = ?").param(state.name()).query(Long.class).single();
  }

  /** Rollouts switched live whose replaced version's data is still to be purged, oldest first. */
  public List<Rollout> purgesPending() {
    return jdbc.sql("SELECT r." + COLUMNS.replace(", ", ", r.") + ", g.live_version FROM groupby_rollout r JOIN groupby g ON g.name = r.name"
            + " WHERE r.state = 'LIVE' AND r.replaced IS NOT NULL ORDER BY r.updated_at")
        .query((rs, i) -> row(rs, (Integer) rs.getObject("live_version"))).list().stream()
        .filter(r -> "PENDING".equals(r.status(RolloutStep.PURGE))).toList();
  }

  private static Rollout row(java.sql.ResultSet rs, Integer live) throws java.sql.SQLException {
    return new Rollout(rs.getString("name"), live, rs.getInt("version"), RolloutState.valueOf(rs.getString("state")),
        steps(rs.getString("steps")), rs.getString("error"), DefinitionRepository.instant(rs, "started_at"),
        DefinitionRepository.instant(rs, "updated_at"), (Integer) rs.getObject("replaced"));
  }

  public void insert(Rollout r) {
    jdbc.sql("INSERT INTO groupby_rollout (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(r.name(), r.version(), r.state().name(), JSON.writeValueAsString(r.steps()), r.error(), DefinitionRepository.ts(r.startedAt()),
            DefinitionRepository.ts(r.updatedAt()), r.replaced())
        .update();
  }

  public void update(Rollout r) {
    jdbc.sql("UPDATE groupby_rollout SET state = ?, steps = ?, error = ?, started_at = ?, updated_at = ?, replaced = ? WHERE name = ? AND version = ?")
        .params(r.state().name(), JSON.writeValueAsString(r.steps()), truncate(r.error()), DefinitionRepository.ts(r.startedAt()),
            DefinitionRepository.ts(r.updatedAt()), r.replaced(), r.name(), r.version())
        .update();
  }

  /** Every version of the name still on its way becomes {@code state} (superseded by a newer one, retired). */
  public void endPending(String name, RolloutState state, Instant at) {
    jdbc.sql("UPDATE groupby_rollout SET state = ?, updated_at = ? WHERE name = ? AND state IN ('PUBLISHED', 'UPLOADING', 'CATCHING_UP', 'FAILED')")
        .params(state.name(), DefinitionRepository.ts(at), name).update();
  }

  private static List<RolloutStep> steps(String json) {
    return JSON.readValue(json, new TypeReference<List<RolloutStep>>() {});
  }

  private static String truncate(String s) {
    return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
  }

}
