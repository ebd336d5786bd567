package dev.tessera.batch.join;

import dev.tessera.agg.definition.DataType;
import dev.tessera.agg.join.CompiledJoin;
import dev.tessera.agg.join.OutputColumn;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import dev.tessera.batch.jobs.PartitionCheckpoint;
import dev.tessera.batch.read.JdbcValues;
import dev.tessera.batch.read.LeftCursor;
import dev.tessera.batch.read.ReaderState;
import dev.tessera.batch.read.StreamedQuery;
import dev.tessera.batch.warehouse.ChunkWriter;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutputTables;
import dev.tessera.batch.warehouse.SqlDialect;
import dev.tessera.batch.warehouse.Warehouse;
import dev.tessera.batch.warehouse.WarehouseException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;
import org.springframework.batch.infrastructure.item.ItemWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * One derive partition of a Join training set, as a chunk step's reader and writer (step scoped): a
 * range of row ids, read in order with the request fields and features the derivations read (joined
 * from the part tables by row id), in blocks of rows. Each row goes through
 * {@link CompiledJoin#assemble}, as an online fetch's rows do, with the values in the form the fetch
 * has them (lists and maps as lists and maps, a part without a row as nulls: an unknown entity); the
 * derived values are written per row id, one transaction per chunk.
 * The checkpoint is the last row id written.
 */
class DerivedValues implements ItemStreamReader<List<Object[]>>, ItemWriter<List<Object[]>> {
  /** Counter: derivations whose evaluation failed (null in the output). */
  static final String ERRORS = "derivationErrors";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Warehouse warehouse;
  private final StepExecution step;
  private final int blockRows;
  private final FailurePoints failures;

  private CompiledJoin join;
  private DerivationInputs inputs;
  private List<OutputColumn> derived;
  private StreamedQuery query;
  private ResultSet rs;
  private boolean exhausted;
  private ChunkWriter writer;
  private Long lastRid;
  private long rowsRead;
  private long rowsWritten;
  private long chunks;
  private long errors;

  DerivedValues(Warehouse warehouse, StepExecution step, int blockRows, FailurePoints failures) {
    this.warehouse = warehouse;
    this.step = step;
    this.blockRows = blockRows;
    this.failures = failures;
  }

  @Override
  public void open(ExecutionContext ctx) {
    JoinPlan plan = JoinPlan.of(step.getJobExecution());
    join = plan.join();
    derived = join.derivedColumns();
    inputs = new DerivationInputs(join);
    long[] range = plan.ridRange(ctx.getInt(KeyHashPartitioner.PARTITION));
    PartitionCheckpoint resume = PartitionCheckpoint.read(ctx, 0);
    if (resume != null) {
      lastRid = resume.lastEntity() == null ? null : ((Number) resume.lastEntity().getFirst()).longValue();
      rowsWritten = resume.rowsWritten();
      chunks = resume.chunks();
      rowsRead = resume.reader().left() == null ? 0 : resume.reader().left().rows();
      errors = resume.counters().getOrDefault(ERRORS, 0L);
      exhausted = resume.reader().left() != null && resume.reader().left().exhausted();
    }
    long from = lastRid == null ? range[0] : lastRid + 1;
    if (!JoinPlan.firstAttempt(step)) clear(plan, from, range[1]);
    writer = new ChunkWriter(warehouse, plan.derived(), plan.derivedColumns());
    if (!exhausted) {
      try {
        query = StreamedQuery.open(warehouse, sql(plan), parameters(from, range[1]));
        rs = query.rows();
      } catch (SQLException e) {
        throw new WarehouseException("reading the left rows and features of " + plan.output() + " failed", e);
      }
    }
  }

  /**
   * The rows of the range: row id, then the inputs the derivations read, from the spill (request fields)
   * and the parts' tables. A part without a row (no key or no time) reads as nulls: an unknown entity,
   * whose features are all null, gives the derivations that read them null as well.
   */
  private String sql(JoinPlan plan) {
    SqlDialect d = warehouse.dialect();
    String rid = d.quote(JoinPlan.RID);
    List<String> select = new ArrayList<>(List.of("l." + rid));
    StringBuilder from = new StringBuilder(d.table(plan.spill()) + " l");
    Set<Integer> joined = new HashSet<>();
    for (OutputColumn c : inputs.columns()) {
      if (c.kind() == OutputColumn.Kind.REQUEST) {
        select.add("l." + d.quote(plan.leftColumn(c.name())));
        continue;
      }
      String alias = "p" + c.part();
      select.add(alias + "." + d.quote(c.feature()));
      if (joined.add(c.part())) from.append(JoinPlan.partJoin(d, plan.part(c.part()), alias, "?", "?"));
    }
    return "SELECT " + String.join(", ", select) + " FROM " + from + " WHERE l." + rid + " >= ? AND l." + rid + " < ? ORDER BY l." + rid;
  }

  /** The query's parameters: the range once per joined part (its own rows of the range only), then for the spill. */
  private List<Object> parameters(long from, long to) {
    List<Object> out = new ArrayList<>();
    inputs.columns().stream().filter(c -> c.kind() == OutputColumn.Kind.FEATURE).map(OutputColumn::part).distinct().forEach(p -> {
      out.add(from);
      out.add(to);
    });
    out.add(from);
    out.add(to);
    return out;
  }

  /** What an earlier attempt wrote in the rest of the range. */
  private void clear(JoinPlan plan, long from, long to) {
    SqlDialect d = warehouse.dialect();
    String rid = d.quote(JoinPlan.RID);
    OutputTables.update(warehouse, "DELETE FROM " + d.table(plan.derived()) + " WHERE " + rid + " >= ? AND " + rid + " < ?",
        List.of(from, to), "clearing derived values of " + plan.derived());
  }

  /** The next block of rows, in the form {@link DerivationInputs#assemble} takes them, or null at the end. */
  @Override
  public List<Object[]> read() {
    if (exhausted) return null;
    List<Object[]> block = new ArrayList<>(blockRows);
    try {
      while (block.size() < blockRows) {
        if (!rs.next()) {
          exhausted = true;
          query.close();
          break;
        }
        block.add(values());
      }
    } catch (SQLException e) {
      throw new WarehouseException("reading the left rows and features failed", e);
    }
    rowsRead += block.size();
    return block.isEmpty() ? null : block;
  }

  /** One row: row id, then the inputs, typed. */
  private Object[] values() throws SQLException {
    List<OutputColumn> columns = inputs.columns();
    Object[] out = new Object[1 + columns.size()];
    out[0] = rs.getLong(1);
    for (int i = 0; i < columns.size(); i++) out[1 + i] = typed(JdbcValues.read(rs, 2 + i, columns.get(i).type()), columns.get(i).type());
    return out;
  }

  /** A value in the Java form the online fetch gives it (integral as Long, floating as Double). */
  static Object typed(Object v, DataType type) {
    if (v == null || !type.isPrimitive()) return v;
    if (type.isIntegral()) return ((Number) v).longValue();
    if (type == DataType.Primitive.DOUBLE || type == DataType.Primitive.FLOAT) return ((Number) v).doubleValue();
    if (type == DataType.Primitive.STRING) return v.toString();
    return v;
  }

  @Override
  public void write(Chunk<? extends List<Object[]>> chunk) {
    int base = join.outputColumns().size() - derived.size();
    Object[] values = new Object[join.outputColumns().size()];
    Object[] out = new Object[1 + derived.size()];
    for (List<Object[]> block : chunk) {
      for (Object[] r : block) {
        errors += inputs.assemble(r, values);
        out[0] = r[0];
        for (int i = 0; i < derived.size(); i++) out[1 + i] = cell(values[base + i], derived.get(i).type());
        writer.append(out);
        lastRid = (Long) r[0];
      }
    }
    long written = writer.commit();
    failures.reached(FailurePoints.CHUNK_COMMITTED, step);
    rowsWritten += written;
    chunks++;
  }

  /** A derived value as its column takes it (lists and maps as JSON text). */
  private static Object cell(Object v, DataType type) {
    if (v == null) return null;
    return ColumnKind.of(type) == ColumnKind.JSON ? JSON.writeValueAsString(v) : v;
  }

  @Override
  public void update(ExecutionContext ctx) {
    ReaderState state = new ReaderState(List.of(), new LeftCursor.State(lastRid == null ? null : List.of(lastRid), exhausted, rowsRead));
    new PartitionCheckpoint(state, lastRid == null ? null : List.of(lastRid), 0, rowsWritten, chunks, Map.of(ERRORS, errors)).write(ctx);
  }

  @Override
  public void close() {
    if (query != null) query.close();
    if (writer != null) writer.close();
    query = null;
    writer = null;
  }
}
