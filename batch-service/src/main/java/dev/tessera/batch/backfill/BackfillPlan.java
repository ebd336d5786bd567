package dev.tessera.batch.backfill;

import dev.tessera.agg.compile.CompiledGroupBy;
import dev.tessera.agg.compile.GroupByCompiler;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.batch.compute.FeatureValues;
import dev.tessera.batch.jobs.JobGroupBy;
import dev.tessera.batch.read.SourcePlan;
import dev.tessera.batch.warehouse.ColumnKind;
import dev.tessera.batch.warehouse.OutColumn;
import dev.tessera.batch.warehouse.TableName;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;

/** A backfill job's fixed inputs, rebuilt from its parameters and recorded GroupBy by every step. */
record BackfillPlan(PublishedGroupBy published, CompiledGroupBy groupBy, LocalDate start, LocalDate end, TableName output,
    List<SourcePlan> sources, String parquetPath, String parquetDataset) {
  static final String START = "startDate";
  static final String END = "endDate";
  static final String PARQUET = "parquetPath";
  static final String PARQUET_DATASET = "parquetDataset";
  static final String DS = "ds";

  static BackfillPlan of(JobExecution execution) {
    PublishedGroupBy published = JobGroupBy.published(execution);
    CompiledGroupBy g = GroupByCompiler.compile(published.definition()).orThrow();
    JobParameters p = execution.getJobParameters();
    return new BackfillPlan(published, g, LocalDate.parse(p.getString(START)), LocalDate.parse(p.getString(END)),
        outputTable(g.name(), published.version()), SourcePlan.of(g), p.getString(PARQUET), p.getString(PARQUET_DATASET));
  }

  /** {@code <groupBy>_v<version>_daily}: versions never share a table (DESIGN.md "Versions"). */
  static TableName outputTable(String groupBy, int version) {
    return new TableName(null, groupBy + "_v" + version + "_daily");
  }

  /** Key columns, one column per feature, then {@code ds}. */
  List<OutColumn> columns() {
    List<OutColumn> out = new ArrayList<>(FeatureValues.keyColumns(groupBy));
    out.addAll(FeatureValues.columns(groupBy));
    out.add(new OutColumn(DS, ColumnKind.DATE));
    return out;
  }

  List<Boolean> textKeys() {
    List<Boolean> out = new ArrayList<>();
    for (int i = 0; i < groupBy.keyNames().size(); i++) out.add(ColumnKind.of(groupBy.keyType(i)) == ColumnKind.TEXT);
    return out;
  }
}
