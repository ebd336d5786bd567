package dev.tessera.batch.lake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tessera.agg.definition.GroupBy;
import dev.tessera.batch.jobs.FailurePoints;
import dev.tessera.batch.jobs.KeyHashPartitioner;
import dev.tessera.batch.shuffle.Shuffle;
import dev.tessera.batch.testing.Tables;
import dev.tessera.batch.testing.TestFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The lake shuffle (README "Lake shuffle"): a job over a Parquet dataset of 30 day folders x 4 files whose scatter
 * partitions each read only their share of the files and spill the rows by key bucket, and whose keyed partitions each
 * read only the spill files of their own bucket; the output equals the per-partition scan's and the oracle, a failure
 * in the scatter is restarted without a row twice, and the spill folder is gone once the job completes.
 */
class LakeShuffleIT extends LakeSupport {
  private static final int PARTITIONS = 3;

  @Autowired
  JobRepository repository;

  @Test
  void aBackfillThroughTheShuffleReadsOnlyItsBucketsFilesAndEqualsTheScanAndTheOracle() throws IOException {
    OnDataset lake = publishedOnDataset("shuffle", 51, 40, 6000);
    String name = lake.name();
    GroupBy g = lake.groupBy();
    List<Map<String, Object>> events = lake.events();
    String output = name + "_v1_daily";
    String request = "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-10\", \"endDate\": \"2024-01-20\", \"partitions\": "
        + PARTITIONS + ", \"lakeShuffle\": %s}";

    runToCompletion("/api/v1/jobs/backfill", request.formatted("false"));
    String scanned = unique("shuffle_scanned");
    Tables.execute(warehouse, "CREATE TABLE " + scanned + " AS SELECT * FROM " + output);
    long id = start("/api/v1/jobs/backfill", request.formatted("true"));
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("COMPLETED");

    int rows = assertMatchesOracle(compile(g), events, output, LocalDate.of(2024, 1, 10), LocalDate.of(2024, 1, 20));
    assertThat(rows).isGreaterThan(300);
    assertThat(difference(scanned, output)).as("the shuffle's output equals the per-partition scan's").isZero();

    JobExecution run = lastExecution(id);
    assertScatterSplitTheFiles(run, "backfill", name);
    assertEachPartitionReadOnlyItsBucket(run, "backfill");
    assertThat(shuffleFolder(id)).as("the spill folder is deleted when the job completes").doesNotExist();

    // Unasked, a job shuffles from tessera.batch.lake-shuffle-min-partitions (16) partitions on.
    String unasked = "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-10\", \"endDate\": \"2024-01-20\", \"partitions\": %d}";
    long fifteen = start("/api/v1/jobs/backfill", unasked.formatted(15));
    assertThat(awaitJob(fifteen).get("status").asString()).isEqualTo("COMPLETED");
    assertThat(lastExecution(fifteen).getJobParameters().getString(Shuffle.PARAMETER)).isEqualTo("false");
    assertThat(partitions(lastExecution(fifteen), "backfill.scatter.partition:")).isEmpty();
    long sixteen = start("/api/v1/jobs/backfill", unasked.formatted(16));
    assertThat(awaitJob(sixteen).get("status").asString()).isEqualTo("COMPLETED");
    assertThat(lastExecution(sixteen).getJobParameters().getString(Shuffle.PARAMETER)).isEqualTo("true");
    assertThat(partitions(lastExecution(sixteen), "backfill.scatter.partition:")).hasSize(16);
    assertThat(difference(scanned, output)).as("16 shuffled partitions, the same output").isZero();
  }

  @Test
  void aFailureInTheScatterIsRestartedWithoutARowTwice() throws IOException {
    OnDataset lake = publishedOnDataset("shuffle_restart", 52, 30, 4000);
    String name = lake.name();
    GroupBy g = lake.groupBy();
    List<Map<String, Object>> events = lake.events();

    // Scatter partition 1 dies after its spill files are in place, before the job repository knows it finished.
    failures.arm(FailurePoints.SCATTER_WRITTEN, step -> step.getExecutionContext().getInt(KeyHashPartitioner.PARTITION, -1) == 1);
    long id = start("/api/v1/jobs/backfill", "{\"groupBy\": \"" + name + "\", \"startDate\": \"2024-01-05\", \"endDate\": \"2024-01-25\","
        + " \"partitions\": " + PARTITIONS + ", \"lakeShuffle\": true}");
    JsonNode failed = awaitJob(id);
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("errors").toString()).contains("simulated crash at " + FailurePoints.SCATTER_WRITTEN);
    assertThat(shuffleFolder(id).resolve("source-0/scatter-1")).as("the failed job keeps its spill for the restart").isDirectory();

    post("/api/v1/jobs/" + id + "/restart", "", 202);
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("COMPLETED");
    // A row spilled twice would be counted twice: the oracle's sums and counts would differ.
    assertMatchesOracle(compile(g), events, name + "_v1_daily", LocalDate.of(2024, 1, 5), LocalDate.of(2024, 1, 25));
    List<String> rerun = lastExecution(id).getStepExecutions().stream().map(StepExecution::getStepName)
        .filter(n -> n.startsWith("backfill.scatter.partition:")).toList();
    assertThat(rerun).as("only the failed scatter partition ran again").containsExactly("backfill.scatter.partition:p001");
    assertThat(shuffleFolder(id)).doesNotExist();
  }

  @Test
  void aFailureInAKeyedPartitionIsRestartedFromTheKeptSpill() throws IOException {
    OnDataset lake = publishedOnDataset("shuffle_resume", 54, 40, 4000);
    failures.arm(FailurePoints.CHUNK_COMMITTED, TestFailures.partitionAfterChunks(1, 2));
    long id = start("/api/v1/jobs/backfill", "{\"groupBy\": \"" + lake.name() + "\", \"startDate\": \"2024-01-05\","
        + " \"endDate\": \"2024-01-25\", \"partitions\": " + PARTITIONS + ", \"lakeShuffle\": true}");
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("FAILED");
    assertThat(shuffleFolder(id)).isDirectory();

    post("/api/v1/jobs/" + id + "/restart", "", 202);
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("COMPLETED");
    assertMatchesOracle(compile(lake.groupBy()), lake.events(), lake.name() + "_v1_daily", LocalDate.of(2024, 1, 5), LocalDate.of(2024, 1, 25));
    List<String> rerun = lastExecution(id).getStepExecutions().stream().map(StepExecution::getStepName).filter(n -> n.contains(":p")).toList();
    assertThat(rerun).as("the scatter is not run again: the restarted partition reads the spill the failed run left")
        .containsExactly("backfill.compute.partition:p001");
    assertThat(shuffleFolder(id)).doesNotExist();
  }

  @Test
  void aTrainingSetThroughTheShuffleEqualsTheSameOverTheTable() throws IOException {
    String table = unique("shuffle_events");
    generate(table, 53, 30, 5000, JAN_1, JAN_1 + DAYS * DAY);
    String dataset = unique("shuffle_events");
    writeDataset(table, dataset);
    String onTable = unique("shuffle_on_table");
    String onLake = unique("shuffle_on_lake");
    publish(parse(windowedGroupBy(onTable, table)), 1);
    publish(parse(onParquet(windowedGroupBy(onLake, table), table, dataset)), 1);
    String labels = unique("shuffle_labels");
    Tables.execute(warehouse, "CREATE TABLE " + labels + " AS SELECT user_id, ts + 1 AS ts, qty AS label FROM " + table
        + " WHERE hash(rowid) % 5 = 0 UNION ALL SELECT NULL, " + (JAN_1 + 20 * DAY) + ", 1");
    String outTable = unique("shuffle_ts_table");
    String outLake = unique("shuffle_ts_lake");
    String request = """
        {"groupBy": "%s", "leftTable": "%s", "timeColumn": "ts", "outputTable": "%s", "partitions": %d, "lakeShuffle": %s}""";
    // Asked on a GroupBy that reads only tables, the shuffle is not used: there are no files to scatter.
    long overTable = start("/api/v1/jobs/training-set", request.formatted(onTable, labels, outTable, PARTITIONS, "true"));
    assertThat(awaitJob(overTable).get("status").asString()).isEqualTo("COMPLETED");
    assertThat(lastExecution(overTable).getJobParameters().getString(Shuffle.PARAMETER)).isEqualTo("false");
    assertThat(partitions(lastExecution(overTable), "training-set.scatter.partition:")).isEmpty();
    long id = start("/api/v1/jobs/training-set", request.formatted(onLake, labels, outLake, PARTITIONS, "true"));
    assertThat(awaitJob(id).get("status").asString()).isEqualTo("COMPLETED");

    long rows = Tables.count(warehouse, "SELECT count(*) FROM " + labels);
    assertThat(Tables.count(warehouse, "SELECT count(*) FROM " + outLake + " WHERE amount_sum_7d IS NOT NULL")).isGreaterThan(rows / 2);
    assertThat(difference(outTable, outLake)).as("the same rows and values through the shuffle as over the table").isZero();
    JobExecution run = lastExecution(id);
    assertScatterSplitTheFiles(run, "training-set", dataset);
    assertEachPartitionReadOnlyItsBucket(run, "training-set");
    assertThat(shuffleFolder(id)).doesNotExist();
  }

  /** The scatter partitions' files: disjoint, together every file of the dataset the job's window needs (here: all). */
  private void assertScatterSplitTheFiles(JobExecution run, String job, String dataset) throws IOException {
    List<String> scattered = new ArrayList<>();
    List<StepExecution> scatters = partitions(run, job + ".scatter.partition:");
    assertThat(scatters).hasSize(PARTITIONS);
    for (StepExecution s : scatters) {
      List<String> files = lines(s.getExecutionContext().getString("tessera.shuffle.files.0"));
      assertThat(files).as("scatter partition %s has a share of the files", s.getStepName()).isNotEmpty();
      scattered.addAll(files);
    }
    List<String> all;
    try (Stream<Path> walk = Files.walk(warehouse.lake().root().resolve(dataset))) {
      all = walk.filter(f -> f.toString().endsWith(".parquet")).map(f -> warehouse.lake().root().relativize(f).toString()).toList();
    }
    assertThat(scattered).as("each file read by exactly one scatter partition").doesNotHaveDuplicates();
    assertThat(all).containsAll(scattered);
  }

  /** Each keyed partition read spill files of its own bucket only, and at least one. */
  private void assertEachPartitionReadOnlyItsBucket(JobExecution run, String job) {
    List<StepExecution> keyed = partitions(run, job + ".compute.partition:");
    assertThat(keyed).hasSize(PARTITIONS);
    for (StepExecution s : keyed) {
      int bucket = s.getExecutionContext().getInt(KeyHashPartitioner.PARTITION);
      List<String> read = lines(s.getExecutionContext().getString(Shuffle.READ_FILES + 0));
      assertThat(read).as("partition %d read spill files", bucket).isNotEmpty()
          .allMatch(f -> f.startsWith(".tessera-shuffle/job-" + run.getJobInstance().getInstanceId() + "/source-0/scatter-"))
          .allMatch(f -> f.contains("/__tessera_bucket=" + bucket + "/"));
    }
  }

  private List<StepExecution> partitions(JobExecution run, String prefix) {
    return run.getStepExecutions().stream().filter(s -> s.getStepName().startsWith(prefix))
        .sorted(Comparator.comparing(StepExecution::getStepName)).toList();
  }

  private JobExecution lastExecution(long id) {
    return repository.getJobExecutions(repository.getJobInstance(id)).stream().max(Comparator.comparing(JobExecution::getId)).orElseThrow();
  }

  private Path shuffleFolder(long id) {
    return warehouse.lake().root().resolve(".tessera-shuffle").resolve("job-" + id);
  }

  private static List<String> lines(String text) {
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
  }
}
