package dev.tessera.registry.definition;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The tables of one kind of definition ({@code groupby*} of V1__registry.sql, {@code join_def*}
 * of V2__joins.sql: the same shape) through JDBC. Runs inside the caller's transaction; plain SQL
 * that H2 and PostgreSQL both understand.
 */
public final class DefinitionRepository<D> {
  private static final String SUMMARY_COLUMNS =
      "name, status, latest_version, revision, team, description, online, feature_count, created_at, updated_at, updated_by";
  private static final String VERSION_COLUMNS =
      "name, version, definition, document, document_format, published_at, published_by, updated_at, updated_by";

  private final JdbcClient jdbc;
  private final DefinitionType<D, ?> type;
  private final String names;
  private final String versions;
  private final String events;

  public DefinitionRepository(JdbcClient jdbc, DefinitionType<D, ?> type) {
    this.jdbc = jdbc;
    this.type = type;
    this.names = type.table();
    this.versions = type.table() + "_version";
    this.events = type.table() + "_event";
  }

  public Optional<DefinitionSummary> find(String name) {
    return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM " + names + " WHERE name = ?").param(name)
        .query(DefinitionRepository::summary).optional();
  }

  /** Reads the name's row and locks it until the transaction ends: writers of one name queue here. */
  public Optional<DefinitionSummary> lock(String name) {
    return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM " + names + " WHERE name = ? FOR UPDATE").param(name)
        .query(DefinitionRepository::summary).optional();
  }

  public List<DefinitionSummary> list() {
    return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM " + names + " ORDER BY name").query(DefinitionRepository::summary).list();
  }

  /** @throws org.springframework.dao.DuplicateKeyException when another writer created the name first */
  public void insert(DefinitionSummary s) {
    jdbc.sql("INSERT INTO " + names + " (" + SUMMARY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(s.name(), s.status().name(), s.latestVersion(), s.revision(), s.team(), s.description(), s.online(),
            s.featureCount(), ts(s.createdAt()), ts(s.updatedAt()), s.updatedBy())
        .update();
  }

  /** Writes the row if it still has {@code previousRevision}; false when someone else changed it. */
  public boolean update(DefinitionSummary s, long previousRevision) {
    return jdbc.sql("UPDATE " + names + """
             SET status = ?, latest_version = ?, revision = ?, team = ?, description = ?, online = ?,
              feature_count = ?, updated_at = ?, updated_by = ?
            WHERE name = ? AND revision = ?""")
        .params(s.status().name(), s.latestVersion(), s.revision(), s.team(), s.description(), s.online(),
            s.featureCount(), ts(s.updatedAt()), s.updatedBy(), s.name(), previousRevision)
        .update() == 1;
  }

  /** @throws org.springframework.dao.DuplicateKeyException when the version exists already */
  public void insertVersion(StoredVersion<D> v) {
    jdbc.sql("INSERT INTO " + versions + " (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(v.name(), v.version(), type.toStorageJson(v.definition()), v.document(), v.documentFormat().name(),
            ts(v.publishedAt()), v.publishedBy(), ts(v.updatedAt()), v.updatedBy())
        .update();
  }

  /** A metadata-only change: the version keeps its number and publication time. */
  public void updateVersion(StoredVersion<D> v) {
    int n = jdbc.sql("UPDATE " + versions + """
             SET definition = ?, document = ?, document_format = ?, updated_at = ?, updated_by = ?
            WHERE name = ? AND version = ?""")
        .params(type.toStorageJson(v.definition()), v.document(), v.documentFormat().name(), ts(v.updatedAt()),
            v.updatedBy(), v.name(), v.version())
        .update();
    if (n != 1) throw new IllegalStateException("version " + v.version() + " of " + v.name() + " is not stored");
  }

  public Optional<StoredVersion<D>> version(String name, int version) {
    return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM " + versions + " WHERE name = ? AND version = ?")
        .params(name, version).query(this::storedVersion).optional();
  }

  /** Every version of a name, newest first. */
  public List<StoredVersion<D>> versions(String name) {
    return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM " + versions + " WHERE name = ? ORDER BY version DESC")
        .param(name).query(this::storedVersion).list();
  }

  public void addEvent(String name, int version, long revision, Change change, D definition, Instant at, String actor) {
    jdbc.sql("INSERT INTO " + events + """
             (name, version, revision, change_kind, definition, changed_at, changed_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)""")
        .params(name, version, revision, change.name(), definition == null ? null : type.toStorageJson(definition),
            ts(at), actor)
        .update();
  }

  /** A name's history, newest first. */
  public List<HistoryEvent> events(String name) {
    return jdbc.sql("SELECT id, name, version, revision, change_kind, changed_at, changed_by FROM " + events
            + " WHERE name = ? ORDER BY id DESC")
        .param(name)
        .query((rs, i) -> new HistoryEvent(rs.getLong("id"), rs.getString("name"), rs.getInt("version"), rs.getLong("revision"),
            Change.valueOf(rs.getString("change_kind")), instant(rs, "changed_at"), rs.getString("changed_by")))
        .list();
  }

  private static DefinitionSummary summary(ResultSet rs, int row) throws SQLException {
    return new DefinitionSummary(rs.getString("name"), DefinitionStatus.valueOf(rs.getString("status")), rs.getInt("latest_version"),
        rs.getLong("revision"), rs.getString("team"), rs.getString("description"), rs.getBoolean("online"),
        rs.getInt("feature_count"), instant(rs, "created_at"), instant(rs, "updated_at"), rs.getString("updated_by"));
  }

  private StoredVersion<D> storedVersion(ResultSet rs, int row) throws SQLException {
    String name = rs.getString("name");
    int version = rs.getInt("version");
    return new StoredVersion<>(name, version, type.fromStorageJson(rs.getString("definition"), name, version), rs.getString("document"),
        DocumentFormat.valueOf(rs.getString("document_format")), instant(rs, "published_at"), rs.getString("published_by"),
        instant(rs, "updated_at"), rs.getString("updated_by"));
  }

  public static OffsetDateTime ts(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
