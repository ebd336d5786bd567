package dev.tessera.batch.consistency;

import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.read.JdbcValues;
import dev.tessera.batch.read.LeftCursor;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.read.StreamedQuery;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One derive partition of a Join consistency job, as a chunk step's reader and writer (step scoped):
 * a range of the logged rows' ids, read in order with each part's recomputed features (the compute
 * step's {@link JoinConsistencyPlan#values()}). Each row goes through {@link CompiledJoin#assemble}, the
 * code that put it together online, with the logged request fields and the recomputed features (a
 * part that failed online as an unknown entity, as online), compiled against the GroupBy versions the
 * features were recomputed with; each derived value is compared with the served one under
 * {@link ComparisonRule#derived}. A mismatch takes the cause of the part columns the derivation reads
 * (the first of them in {@link Attribution}'s order: a version the job could not obtain, a late event,
 * an event that reached Kafka after the fetch, ..., a stale batch), UNEXPLAINED when none of them
 * explains it; derivations that read a failed part are not compared. The checkpoint is the last row id.
 */
class DerivedCheck implements ItemStreamReader<List<DerivedCheck.LoggedRow>>, ItemWriter<List<DerivedCheck.LoggedRow>> {
  /** Counters: derivations that failed to evaluate (null), rows whose derived columns could not be rebuilt. */
  static final String ERRORS = "derivationErrors";
  static final String SKIPPED = "derivedRowsNotChecked";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Which cause of the columns a derivation reads explains its mismatch first: as {@link Attribution} orders them. */
  private static final List<Cause> INHERITED = java.util.Arrays.stream(Cause.values()).filter(c -> c != Cause.UNEXPLAINED).toList();

  /** One logged row with the recomputed values of its parts, by unit. */
  record LoggedRow(long rid, long t, int loggedVersion, int version, String keys, String features, String failedParts,
      Map<Integer, Recomputed> parts) {}

  /** One part's recomputed features and the causes of its mismatching ones (JSON by the GroupBy's feature names). */
  record Recomputed(int version, String features, String causes) {}

  private final Warehouse warehouse;
  private final StepExecution step;
  private final int blockRows;
  private final FailurePoints failures;

  private JoinConsistencyPlan plan;
  private JoinUnits units;
  private JoinUnits.Compiled compiled;
  private final Map<CompiledJoin, Map<String, Set<String>>> inputs = new ConcurrentHashMap<>();
  private Tally tally;
  private StreamedQuery query;
  private ResultSet rs;
  private boolean pending;
  private boolean exhausted;
  private Long lastRid;
  private long rowsRead;
  private long rowsChecked;
  private long chunks;
  private long errors;
  private long skipped;
  private Map<String, Long> mismatches = new HashMap<>();

  DerivedCheck(Warehouse warehouse, StepExecution step, int blockRows, FailurePoints failures) {
    this.warehouse = warehouse;
    this.step = step;
    this.blockRows = blockRows;
    this.failures = failures;
  }

  @Override
  public void open(ExecutionContext ctx) {
    plan = JoinConsistencyPlan.of(step.getJobExecution());
    units = JoinUnits.of(step.getJobExecution());
    compiled = units.new Compiled();
    int slice = ctx.getInt(KeyHashPartitioner.PARTITION);
    PartitionCheckpoint resume = PartitionCheckpoint.read(ctx, 0);
    if (resume != null) {
      lastRid = resume.lastEntity() == null ? null : ((Number) resume.lastEntity().getFirst()).longValue();
      rowsChecked = resume.rowsWritten();
      chunks = resume.chunks();
      rowsRead = resume.reader().left() == null ? 0 : resume.reader().left().rows();
      exhausted = resume.reader().left() != null && resume.reader().left().exhausted();
      errors = resume.counters().getOrDefault(ERRORS, 0L);
      skipped = resume.counters().getOrDefault(SKIPPED, 0L);
      mismatches = new HashMap<>(resume.counters());
    }
    int partition = plan.derivePartition(slice);
    ConsistencyTask.clearAfter(warehouse, List.of(plan.stats(), plan.workSamples()), partition, chunks);
    tally = new Tally(warehouse, plan.stats(), plan.workSamples(), partition, chunks, plan.samples());
    long rows = step.getJobExecution().getExecutionContext().getLong(JoinConsistencySteps.COPIED, 0L);
    int slices = ctx.getInt(KeyHashPartitioner.PARTITIONS);
    long from = lastRid == null ? rows * slice / slices : lastRid + 1;
    long to = rows * (slice + 1) / slices;
    // Nothing to rebuild when no recomputed Join version derives anything.
    if (units.joins().values().stream().allMatch(j -> j.join().definition().derivations().isEmpty())) exhausted = true;
    if (!exhausted) {
      try {
        query = StreamedQuery.open(warehouse, sql(), List.of(from, to));
        rs = query.rows();
        pending = rs.next();
      } catch (SQLException e) {
        throw new WarehouseException("reading the logged rows and recomputed values of " + plan.name() + " failed", e);
      }
    }
  }

  /** The rows of the range with their parts' recomputed values, one line per (row, unit), in row id order. */
  private String sql() {
    SqlDialect d = warehouse.dialect();
    String rid = d.quote(ConsistencyPlan.RID);
    return "SELECT l." + rid + ", l." + d.quote(ConsistencyPlan.TS) + ", l." + d.quote(JoinConsistencyPlan.LOGGED_VERSION) + ", l."
        + d.quote(JoinConsistencyPlan.JOIN_VERSION) + ", l." + d.quote(JoinConsistencyPlan.KEYS) + ", l." + d.quote(JoinConsistencyPlan.FEATURES)
        + ", l." + d.quote(JoinConsistencyPlan.FAILED_PARTS) + ", v.unit, v.version, v.features, v.causes FROM " + d.table(plan.logRows())
        + " l LEFT JOIN " + d.table(plan.values()) + " v ON v." + rid + " = l." + rid + " WHERE l." + rid + " >= ? AND l." + rid + " < ?"
        + " ORDER BY l." + rid + ", v.unit";
  }

  @Override
  public List<LoggedRow> read() {
    if (exhausted) return null;
    List<LoggedRow> block = new ArrayList<>(blockRows);
    try {
      while (block.size() < blockRows && pending) {
        long rid = rs.getLong(1);
        LoggedRow row = new LoggedRow(rid, rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getString(5), rs.getString(6), rs.getString(7),
            new LinkedHashMap<>());
        while (pending && rs.getLong(1) == rid) {
          Object unit = rs.getObject(8);
          if (unit != null) row.parts().put(((Number) unit).intValue(), new Recomputed(rs.getInt(9), rs.getString(10), rs.getString(11)));
          pending = rs.next();
        }
        block.add(row);
      }
      if (!pending) {
        exhausted = true;
        query.close();
      }
    } catch (SQLException e) {
      throw new WarehouseException("reading the logged rows and recomputed values of " + plan.name() + " failed", e);
    }
    rowsRead += block.size();
    return block.isEmpty() ? null : block;
  }

  @Override
  public void write(Chunk<? extends List<LoggedRow>> chunk) {
    for (List<LoggedRow> block : chunk) {
      for (LoggedRow row : block) {
        check(row);
        lastRid = row.rid();
      }
    }
    tally.commit();
    failures.reached(FailurePoints.CHUNK_COMMITTED, step);
    tally.drainCounters().forEach((k, v) -> mismatches.merge(k, v, Long::sum));
    chunks++;
  }

  /** Rebuilds one row's derived columns and compares them. */
  private void check(LoggedRow row) {
    if (units.joins().get(row.version()).join().definition().derivations().isEmpty()) return;
    List<JoinUnits.Unit> parts = units.of(row.version());
    Set<String> failed = JoinLogRows.failedParts(row.failedParts());
    int[] versions = new int[parts.size()];
    List<Map<String, Object>> partFeatures = new ArrayList<>(parts.size());
    List<Map<String, Object>> causes = new ArrayList<>(parts.size());
    JsonNode served;
    try {
      for (int i = 0; i < parts.size(); i++) {
        JoinUnits.Unit u = parts.get(i);
        Recomputed r = row.parts().get(u.index());
        if (r == null && !failed.contains(u.name())) {
          skipped++; // its part was not recomputed (features that are not an object): counted with the bad rows
          return;
        }
        versions[i] = r == null ? u.groupBy().version() : r.version();
        partFeatures.add(r == null ? null : map(r.features()));
        causes.add(r == null || r.causes() == null ? Map.of() : map(r.causes()));
      }
      served = JSON.readTree(row.features());
    } catch (JacksonException e) {
      skipped++;
      return;
    }
    CompiledJoin join;
    try {
      join = compiled.of(row.version(), versions);
    } catch (RuntimeException e) {
      skipped++; // the Join version does not compile against these GroupBy versions
      return;
    }
    Object[] values = new Object[join.outputColumns().size()];
    errors += join.assemble(values, name -> JdbcValues.toJava(served.get(name)), partFeatures);
    rowsChecked++;
    boolean otherVersion = row.version() != row.loggedVersion();
    Map<String, OutputColumn> features = new HashMap<>();
    join.featureColumns().forEach(c -> features.put(c.name(), c));
    Tally.Row where = new Tally.Row(row.keys(), row.t(), row.loggedVersion());
    int base = values.length - join.derivedColumns().size();
    Map<String, Set<String>> reads = inputs.computeIfAbsent(join, DerivedCheck::inputs);
    for (int d = 0; d < join.derivedColumns().size(); d++) {
      OutputColumn column = join.derivedColumns().get(d);
      JsonNode node = served.get(column.name());
      if (node == null && otherVersion) continue; // a derivation the logged version did not have
      Set<String> read = reads.get(column.name());
      if (read.stream().map(features::get).anyMatch(f -> f != null && failed.contains(join.parts().get(f.part()).name()))) continue;
      tally.compare(column.name(), ComparisonRule.derived(column.name(), column.type(), plan.tolerances()), where, node, values[base + d],
          () -> otherVersion ? Cause.VERSION_MISMATCH : inherited(read, features, causes));
    }
  }

  /** The cause of the mismatching part columns a derivation reads: UNEXPLAINED when one of them is, or none mismatches. */
  static Cause inherited(Set<String> read, Map<String, OutputColumn> features, List<Map<String, Object>> causes) {
    Set<Cause> found = new LinkedHashSet<>();
    for (String name : read) {
      OutputColumn f = features.get(name);
      Object c = f == null ? null : causes.get(f.part()).get(f.feature());
      if (c != null) found.add(Cause.valueOf(c.toString()));
    }
    if (found.contains(Cause.UNEXPLAINED)) return Cause.UNEXPLAINED;
    return INHERITED.stream().filter(found::contains).findFirst().orElse(Cause.UNEXPLAINED);
  }

  /** The request fields and features each derivation reads, by the names its expression uses (CEL's free identifiers). */
  static Map<String, Set<String>> inputs(CompiledJoin join) {
    return join.derivationInputs();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String json) {
    return (Map<String, Object>) JdbcValues.toJava(JSON.readTree(json));
  }

  @Override
  public void update(ExecutionContext ctx) {
    ReaderState state = new ReaderState(List.of(), new LeftCursor.State(lastRid == null ? null : List.of(lastRid), exhausted, rowsRead));
    Map<String, Long> counters = new HashMap<>(mismatches);
    counters.put(ERRORS, errors);
    counters.put(SKIPPED, skipped);
    new PartitionCheckpoint(state, lastRid == null ? null : List.of(lastRid), 0, rowsChecked, chunks, counters).write(ctx);
  }

  @Override
  public void close() {
    if (query != null) query.close();
    if (tally != null) tally.close();
    query = null;
    tally = null;
  }
}
