package dev.tessera.registry.groupby;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.agg.definition.GroupByReader;
import dev.tessera.agg.definition.GroupByWriter;
import dev.tessera.agg.definition.ParseResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The registry's tables (V1__registry.sql) through JDBC. Runs inside the caller's transaction;
 * plain SQL that H2 and PostgreSQL both understand.
 */
public final class GroupByRepository {
  private static final String SUMMARY_COLUMNS =
      "name, status, latest_version, revision, team, description, online, feature_count, created_at, updated_at, updated_by";
  private static final String VERSION_COLUMNS =
      "name, version, definition, document, document_format, published_at, published_by, updated_at, updated_by";

  private final JdbcClient jdbc;

  public GroupByRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<GroupBySummary> find(String name) {
    return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM groupby WHERE name = ?").param(name)
        .query(GroupByRepository::summary).optional();
  }

  /** Reads the name's row and locks it until the transaction ends: writers of one name queue here. */
  public Optional<GroupBySummary> lock(String name) {
    return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM groupby WHERE name = ? FOR UPDATE").param(name)
        .query(GroupByRepository::summary).optional();
  }

  public List<GroupBySummary> list() {
    return jdbc.sql("SELECT " + SUMMARY_COLUMNS + " FROM groupby ORDER BY name").query(GroupByRepository::summary).list();
  }

  /** @throws org.springframework.dao.DuplicateKeyException when another writer created the name first */
  public void insert(GroupBySummary s) {
    jdbc.sql("INSERT INTO groupby (" + SUMMARY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(s.name(), s.status().name(), s.latestVersion(), s.revision(), s.team(), s.description(), s.online(),
            s.featureCount(), ts(s.createdAt()), ts(s.updatedAt()), s.updatedBy())
        .update();
  }

  /** Writes the row if it still has {@code previousRevision}; false when someone else changed it. */
  public boolean update(GroupBySummary s, long previousRevision) {
    return jdbc.sql("""
            UPDATE groupby SET status = ?, latest_version = ?, revision = ?, team = ?, description = ?, online = ?,
              feature_count = ?, updated_at = ?, updated_by = ?
            WHERE name = ? AND revision = ?""")
        .params(s.status().name(), s.latestVersion(), s.revision(), s.team(), s.description(), s.online(),
            s.featureCount(), ts(s.updatedAt()), s.updatedBy(), s.name(), previousRevision)
        .update() == 1;
  }

  /** @throws org.springframework.dao.DuplicateKeyException when the version exists already */
  public void insertVersion(StoredVersion v) {
    jdbc.sql("INSERT INTO groupby_version (" + VERSION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(v.name(), v.version(), GroupByWriter.toCompactJson(v.definition()), v.document(), v.documentFormat().name(),
            ts(v.publishedAt()), v.publishedBy(), ts(v.updatedAt()), v.updatedBy())
        .update();
  }

  /** A metadata-only change: the version keeps its number and publication time. */
  public void updateVersion(StoredVersion v) {
    int n = jdbc.sql("""
            UPDATE groupby_version SET definition = ?, document = ?, document_format = ?, updated_at = ?, updated_by = ?
            WHERE name = ? AND version = ?""")
        .params(GroupByWriter.toCompactJson(v.definition()), v.document(), v.documentFormat().name(), ts(v.updatedAt()),
            v.updatedBy(), v.name(), v.version())
        .update();
    if (n != 1) throw new IllegalStateException("version " + v.version() + " of " + v.name() + " is not stored");
  }

  public Optional<StoredVersion> version(String name, int version) {
    return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM groupby_version WHERE name = ? AND version = ?")
        .params(name, version).query(GroupByRepository::storedVersion).optional();
  }

  /** Every version of a name, newest first. */
  public List<StoredVersion> versions(String name) {
    return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM groupby_version WHERE name = ? ORDER BY version DESC")
        .param(name).query(GroupByRepository::storedVersion).list();
  }

  public void addEvent(String name, int version, long revision, Change change, GroupBy definition, Instant at, String actor) {
    jdbc.sql("""
            INSERT INTO groupby_event (name, version, revision, change_kind, definition, changed_at, changed_by)
            VALUES (?, ?, ?, ?, ?, ?, ?)""")
        .params(name, version, revision, change.name(), definition == null ? null : GroupByWriter.toCompactJson(definition),
            ts(at), actor)
        .update();
  }

  /** A name's history, newest first. */
  public List<HistoryEvent> events(String name) {
    return jdbc.sql("""
            SELECT id, name, version, revision, change_kind, changed_at, changed_by FROM groupby_event
            WHERE name = ? ORDER BY id DESC""")
        .param(name)
        .query((rs, i) -> new HistoryEvent(rs.getLong("id"), rs.getString("name"), rs.getInt("version"), rs.getLong("revision"),
            Change.valueOf(rs.getString("change_kind")), instant(rs, "changed_at"), rs.getString("changed_by")))
        .list();
  }

  private static GroupBySummary summary(ResultSet rs, int row) throws SQLException {
    return new GroupBySummary(rs.getString("name"), GroupByStatus.valueOf(rs.getString("status")), rs.getInt("latest_version"),
        rs.getLong("revision"), rs.getString("team"), rs.getString("description"), rs.getBoolean("online"),
        rs.getInt("feature_count"), instant(rs, "created_at"), instant(rs, "updated_at"), rs.getString("updated_by"));
  }

  private static StoredVersion storedVersion(ResultSet rs, int row) throws SQLException {
    String name = rs.getString("name");
    int version = rs.getInt("version");
    return new StoredVersion(name, version, definition(rs.getString("definition"), name, version), rs.getString("document"),
        DocumentFormat.valueOf(rs.getString("document_format")), instant(rs, "published_at"), rs.getString("published_by"),
        instant(rs, "updated_at"), rs.getString("updated_by"));
  }

  /** Definitions are stored only after they compiled, so one that no longer reads is corruption, not user error. */
  static GroupBy definition(String json, String name, int version) {
    ParseResult parsed = GroupByReader.read(json, GroupByReader.Format.JSON);
    if (!parsed.ok()) {
      throw new IllegalStateException("stored definition of " + name + " v" + version + " does not read: " + parsed.problems());
    }
    return parsed.groupBy();
  }

  static OffsetDateTime ts(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
