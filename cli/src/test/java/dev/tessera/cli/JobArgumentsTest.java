package dev.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Usage mistakes are caught before any request (no server runs here): exit code 2 and the option's name. */
class JobArgumentsTest {
  /** Nothing listens here: a request would be exit code 1 ("cannot reach"), not 2. */
  static final String NOWHERE = "--batch=http://127.0.0.1:1";

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      backfill --conf=g --start-date=2024-02-01 --end-date=2024-01-31      | --end-date 2024-01-31 is before --start-date 2024-02-01
      backfill --conf=g --start-date=2024-13-01 --end-date=2024-12-31      | --start-date must be a date yyyy-MM-dd
      backfill --conf=g --start-date=2024-01-01                            | Missing required option: '--end-date=yyyy-MM-dd'
      backfill --conf=g --start-date=2024-01-01 --end-date=2024-01-02 --partitions=0 | --partitions must be at least 1
      backfill --conf=g --start-date=2024-01-01 --end-date=2024-01-02 --max-rejected-fraction=2 | --max-rejected-fraction must be between 0 and 1
      backfill --conf=a/b --start-date=2024-01-01 --end-date=2024-01-02    | --conf must be a name
      training-set --conf=g --left-table=t --time-column=ts --output-table=T | --output-table must differ from --left-table
      training-set --conf=g --left-table=t --time-column=ts                | Missing required option: '--output-table=TABLE'
      training-set --conf=g --left-table=t --output-table=o                | needs both --left-table (or --left-parquet) and --time-column
      training-set --conf=g --left-table=t --left-parquet=p --time-column=ts --output-table=o | give --left-table or --left-parquet, not both
      training-set --conf=g --left-table=t --time-column=ts --output-table=o --start-date=2024-01-01 | --start-date and --end-date are for a Join's training set
      training-set --conf=j --output-table=o --start-date=2024-02-01 --end-date=2024-01-31 | --end-date 2024-01-31 is before --start-date 2024-02-01
      upload --conf=g --date=yesterday                                     | --date must be a date yyyy-MM-dd
      ingest --topic=t                                                     | give --conf=GROUPBY, or --table, --schema and --time-column
      ingest --topic=t --conf=g --schema=a=LONG                            | give either --conf or --schema, not both
      ingest --topic=t --schema=a=LONG,ts=LONG --time-column=ts            | --table is required with --schema
      ingest --topic=t --table=x --schema=a=LONG,ts=LONG                   | --time-column is required with --schema
      ingest --topic=t --table=x --schema=a=LONG --time-column=ts          | --time-column 'ts' is not in --schema [a]
      ingest --topic=t --table=x --schema=a --time-column=a                | --schema wants column=TYPE pairs
      ingest --topic=t --table=x --schema=a=LONG,a=INT --time-column=a     | --schema names column 'a' twice
      ingest --topic=t --conf=g --mode=forever                             | --mode must be bounded or continuous
      consistency --conf=g --start-date=2024-01-02 --end-date=2024-01-01   | --end-date 2024-01-01 is before --start-date 2024-01-02
      jobs status twelve                                                   | a job id is a positive number, was 'twelve'
      jobs stop -3                                                         | a job id is a positive number, was '-3'
      jobs list --limit=0                                                  | --limit must be between 1 and 1000
      streaming-job --conf=g --mode=pause                                  | --mode must be create, stop or status
      streaming-job --mode=create                                          | --conf=GROUPBY is required with --mode=create
      backfill --conf=g --start-date=2024-01-01 --end-date=2024-01-02 --wait | Unknown option: '--wait'
      """)
  void aUsageMistakeIsExitCodeTwoAndNamesTheOption(String args, String message) {
    String[] argv = (args + " " + NOWHERE).trim().split("\\s+");
    CliRun r = CliRun.of(argv);
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(r.err().lines().count()).as("a short message, not the whole usage").isLessThanOrEqualTo(3);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void backfillBody() {
    BackfillCommand c = CliRun.parsed("backfill", "--conf=fraud_features", "--start-date=2024-01-01", "--end-date=2024-06-30",
        "--parquet-path=fraud/h1.parquet", "--partitions=8", "--max-rejected-rows=100");
    assertThat(c.body().toString()).isEqualTo("{\"groupBy\":\"fraud_features\",\"startDate\":\"2024-01-01\",\"endDate\":\"2024-06-30\","
        + "\"parquetPath\":\"fraud/h1.parquet\",\"partitions\":8,\"maxRejectedRows\":100}");
  }

  @Test
  void aParquetDatasetFolderIsPassedBesideOrInsteadOfAParquetFile() {
    BackfillCommand b = CliRun.parsed("backfill", "--conf=fraud_features", "--start-date=2024-01-01", "--end-date=2024-01-31",
        "--parquet-dataset=fraud/daily");
    assertThat(b.body().toString()).isEqualTo("{\"groupBy\":\"fraud_features\",\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-31\","
        + "\"parquetDataset\":\"fraud/daily\"}");
    TrainingSetCommand j = CliRun.parsed("training-set", "--conf=fraud_model", "--output-table=train", "--parquet-path=train.parquet",
        "--parquet-dataset=train");
    assertThat(j.body().toString()).isEqualTo("{\"join\":\"fraud_model\",\"outputTable\":\"train\",\"parquetPath\":\"train.parquet\","
        + "\"parquetDataset\":\"train\"}");
    TrainingSetCommand g = CliRun.parsed("training-set", "--conf=fraud_features", "--left-parquet=labels/ds=*/*.parquet", "--time-column=ts",
        "--output-table=train", "--parquet-dataset=train");
    assertThat(g.body().toString()).isEqualTo("{\"groupBy\":\"fraud_features\",\"leftParquet\":\"labels/ds=*/*.parquet\",\"timeColumn\":\"ts\","
        + "\"outputTable\":\"train\",\"parquetDataset\":\"train\"}");
  }

  @Test
  void consistencyBodyOfAGroupByOrAJoin() {
    ConsistencyCommand g = CliRun.parsed("consistency", "--conf=fraud_features", "--start-date=2024-01-01", "--end-date=2024-01-31",
        "--partitions=4");
    assertThat(g.body().toString()).isEqualTo("{\"groupBy\":\"fraud_features\",\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-31\","
        + "\"partitions\":4}");
    ConsistencyCommand j = CliRun.parsed("consistency", "--conf=fraud_model", "--join", "--start-date=2024-01-01", "--end-date=2024-01-01");
    assertThat(j.body().toString()).isEqualTo("{\"join\":\"fraud_model\",\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-01\"}");
  }

  @Test
  void trainingSetBody() {
    TrainingSetCommand c = CliRun.parsed("training-set", "--conf=fraud_features", "--left-table=labels", "--time-column=ts",
        "--output-table=fraud_training");
    assertThat(c.body().toString())
        .isEqualTo("{\"groupBy\":\"fraud_features\",\"leftTable\":\"labels\",\"timeColumn\":\"ts\",\"outputTable\":\"fraud_training\"}");
  }

  @Test
  void aJoinTrainingSetNeedsNoLeftTableItIsInTheDefinition() {
    TrainingSetCommand c = CliRun.parsed("training-set", "--conf=fraud_model", "--output-table=fraud_model_training",
        "--start-date=2024-01-01", "--end-date=2024-01-31", "--partitions=2");
    assertThat(c.body().toString()).isEqualTo("{\"join\":\"fraud_model\",\"outputTable\":\"fraud_model_training\","
        + "\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-31\",\"partitions\":2}");
  }

  @Test
  void uploadBodyHasForceOnlyWhenAsked() {
    UploadCommand plain = CliRun.parsed("upload", "--conf=g", "--date=2024-06-30");
    assertThat(plain.body().toString()).isEqualTo("{\"groupBy\":\"g\",\"date\":\"2024-06-30\"}");
    UploadCommand forced = CliRun.parsed("upload", "--conf=g", "--date=2024-06-30", "--force");
    assertThat(forced.body().path("force").asBoolean(false)).isTrue();
  }

  @Test
  void ingestWithASchemaKeepsCommasInsideTypes() {
    IngestCommand c = CliRun.parsed("ingest", "--topic=clicks", "--table=clicks", "--schema=user_id=STRING,tags=MAP<STRING,LONG>",
        "--schema", "ts=LONG", "--time-column=ts", "--mode=CONTINUOUS");
    assertThat(c.body().toString()).isEqualTo("{\"topic\":\"clicks\",\"schema\":{\"user_id\":\"STRING\",\"tags\":\"MAP<STRING,LONG>\","
        + "\"ts\":\"LONG\"},\"timeColumn\":\"ts\",\"table\":\"clicks\",\"mode\":\"continuous\"}");
  }

  @Test
  void ingestOfAGroupBySourceNeedsNoSchema() {
    IngestCommand c = CliRun.parsed("ingest", "--topic=purchases", "--conf=fraud_features");
    assertThat(c.body().toString()).isEqualTo("{\"topic\":\"purchases\",\"groupBy\":\"fraud_features\",\"mode\":\"bounded\"}");
  }

  @Test
  void ingestOfADeadLetterTopicNeedsOnlyTheFormat() {
    IngestCommand c = CliRun.parsed("ingest", "--topic=tessera.deadletter.fraud_features", "--format=dead-letter");
    assertThat(c.body().toString()).isEqualTo("{\"topic\":\"tessera.deadletter.fraud_features\",\"format\":\"dead-letter\",\"mode\":\"bounded\"}");
    IngestCommand log = CliRun.parsed("ingest", "--topic=tessera.feature-log", "--format=FEATURE-LOG", "--table=flog");
    assertThat(log.body().toString()).isEqualTo("{\"topic\":\"tessera.feature-log\",\"format\":\"feature-log\",\"table\":\"flog\",\"mode\":\"bounded\"}");
    assertThat(CliRun.of("ingest", "--topic=t", "--format=dead-letter", "--conf=fraud_features").err()).contains("fixed columns");
    assertThat(CliRun.of("ingest", "--topic=t", "--format=parquet").err()).contains("--format must be events, feature-log or dead-letter");
  }

  @Test
  void consistencyTakesTheLogAndDeadLetterTables() {
    ConsistencyCommand g = CliRun.parsed("consistency", "--conf=fraud_features", "--start-date=2024-01-01", "--end-date=2024-01-01",
        "--dead-letter-table=my_dead_letters", "--log-table=my_log");
    assertThat(g.body().toString()).isEqualTo("{\"groupBy\":\"fraud_features\",\"startDate\":\"2024-01-01\",\"endDate\":\"2024-01-01\","
        + "\"logTable\":\"my_log\",\"deadLetterTable\":\"my_dead_letters\"}");
  }

  @Test
  void everyCommandHasHelpWithExamples() {
    for (String command : new String[] {"backfill", "training-set", "upload", "ingest", "consistency", "jobs", "streaming-job"}) {
      CliRun r = CliRun.of(command, "--help");
      assertThat(r.exit()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: tessera " + command).contains("Example");
    }
    assertThat(CliRun.of("jobs", "status", "--help").out()).contains("tessera jobs status 12 --wait");
  }
}
