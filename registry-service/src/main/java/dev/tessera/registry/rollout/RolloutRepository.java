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
  private static final String COLUMNS = "name, version, state, steps, error, started_at, updated_at";

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
        .param(name).query((rs, i) -> new Rollout(rs.getString("name"), live, rs.getInt("version"),
            RolloutState.valueOf(rs.getString("state")), steps(rs.getString("steps")), rs.getString("error"),
            DefinitionRepository.instant(rs, "started_at"), DefinitionRepository.instant(rs, "updated_at")))
        .optional();
  }

  public void insert(Rollout r) {
    jdbc.sql("INSERT INTO groupby_rollout (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(r.name(), r.version(), r.state().name(), JSON.writeValueAsString(r.steps()), r.error(), DefinitionRepository.ts(r.startedAt()),
            DefinitionRepository.ts(r.updatedAt()))
        .update();
  }

  public void update(Rollout r) {
    jdbc.sql("UPDATE groupby_rollout SET state = ?, steps = ?, error = ?, started_at = ?, updated_at = ? WHERE name = ? AND version = ?")
        .params(r.state().name(), JSON.writeValueAsString(r.steps()), truncate(r.error()), DefinitionRepository.ts(r.startedAt()), DefinitionRepository.ts(r.updatedAt()),
            r.name(), r.version())
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
