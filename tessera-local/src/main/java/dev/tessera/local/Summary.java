package dev.tessera.local;

import java.io.PrintStream;

/** The box the local stack prints once it is up: where everything is, the login, what to try. */
final class Summary {
  private Summary() {}

  /** @param demoUsers users of the fraud demo, 0 without the demo */
  static void print(PrintStream out, StackConfig c, LocalRedis r, int demoUsers, long seconds) {
    String line = "=".repeat(96);
    out.println();
    out.println(line);
    out.printf(" Tessera is running (ready in %d s). Data: %s%n", seconds, c.dataDir());
    out.println("-".repeat(96));
    out.printf(" %-22s %s/ui/groupbys%n", "Admin UI (registry)", c.url(Service.REGISTRY));
    out.printf(" %-22s user: %s   password: %s   (kept in %s)%n", "  login", c.adminUser(), c.adminPassword(),
        c.dataDir().resolve(StackState.FILE));
    out.printf(" %-22s %s/v1/features/groupby/{name}%n", "Fetcher", c.url(Service.FETCHER));
    out.printf(" %-22s %s/api/v1/jobs%n", "Batch jobs", c.url(Service.BATCH));
    out.printf(" %-22s %s/api/v1/streaming-jobs%n", "Streaming jobs", c.url(Service.STREAM));
    out.printf(" %-22s %s/swagger-ui.html (OpenAPI: /v3/api-docs; the same on :%d, :%d, :%d)%n", "Swagger UI",
        c.url(Service.FETCHER), c.ports().get(Service.REGISTRY), c.ports().get(Service.BATCH), c.ports().get(Service.STREAM));
    out.printf(" %-22s %s%n", "Kafka", c.kafkaBootstrap());
    out.printf(" %-22s %s:%d%s%n", "Redis", r.host(), r.port(),
        r.isOwn() ? " (the stack's own)" : " (existing server: Tessera's keys start with tsr:)");
    out.printf(" %-22s %s%n", "Logs", c.logs());
    // the Grafana dashboard of docker-compose.yml without Docker: its panels in the admin UI, and the raw pages
    out.printf(" %-22s %s/ui/metrics (raw: %s/actuator/prometheus, and :%d, :%d, :%d)%n", "Metrics",
        c.url(Service.REGISTRY), c.url(Service.FETCHER), c.ports().get(Service.REGISTRY), c.ports().get(Service.BATCH),
        c.ports().get(Service.STREAM));
    if (demoUsers > 0) {
      String fetcherOpt = c.ports().get(Service.FETCHER) == 8080 ? "" : " --fetcher " + c.url(Service.FETCHER);
      String registryOpt = c.ports().get(Service.REGISTRY) == 8081 ? "" : " --registry " + c.url(Service.REGISTRY);
      String batchOpt = c.ports().get(Service.BATCH) == 8082 ? "" : " --batch " + c.url(Service.BATCH);
      out.println("-".repeat(96));
      out.println(" Fraud demo: users 1000-" + (1000 + demoUsers - 1) + "; 1000-1004 buy every few seconds, so their features move.");
      out.println(" Fetch twice a few seconds apart and compare amount_count_24h / merchant_last_k:");
      out.printf("   curl -s -X POST %s/v1/features/groupby/fraud_features -H 'Content-Type: application/json' \\%n",
          c.url(Service.FETCHER));
      out.println("        -d '[{\"user_id\": \"1000\"}, {\"user_id\": \"1001\"}]'");
      out.println("   bin/tessera fetch --conf=fraud_features --keys user_id=1000 user_id=1001" + fetcherOpt + registryOpt);
      out.printf("   curl -s %s/api/v1/streaming-jobs/fraud_features      # the streaming job's counts and lag%n", c.url(Service.STREAM));
      out.println(" The fraud model's whole vector (Join fraud_model: the buyer's, the shop's and the pair's features,");
      out.println(" the checkout's amount and channel, amount_vs_avg and new_pair) in one call, as of now:");
      out.printf("   curl -s -X POST %s/v1/features/join/fraud_model -H 'Content-Type: application/json' \\%n", c.url(Service.FETCHER));
      out.println("        -d '[{\"buyer\": \"1000\", \"shop\": \"amazon\", \"amount_now\": 120.5, \"channel\": \"web\"}]'");
      out.println("   bin/tessera fetch --join=fraud_model --keys buyer=1000,shop=amazon,amount_now=120.5,channel=web" + fetcherOpt + registryOpt);
      out.println(" Its training set: the same columns for every row of the warehouse table checkouts, as of each checkout:");
      out.println("   bin/tessera training-set --conf=fraud_model --output-table=fraud_model_training \\");
      out.println("        --parquet-path=fraud_model/training.parquet" + batchOpt + registryOpt);
      out.printf("   duckdb -c \"SELECT label, avg(amount_vs_avg), avg(new_pair::INT) FROM '%s' GROUP BY label\"%n",
          c.exports().resolve("fraud_model").resolve("training.parquet"));
    }
    out.println("-".repeat(96));
    out.println(" Ctrl-C stops everything; the same command starts it again with all data kept (--reset starts over).");
    out.println(line);
    out.flush();
  }
}
