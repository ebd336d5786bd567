package dev.tessera.registry.rollout;

import static dev.tessera.registry.Definitions.uniqueName;
import static dev.tessera.registry.Definitions.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.registry.RegistryHttpTestBase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry's rollout over HTTP, against a stand-in batch service and stream service (test
 * HTTP servers answering their documented endpoints): the new version is not live until the upload
 * completed and the stream job caught up; then {@code /live} and the rollout say it is.
 */
class RolloutApiTest extends RegistryHttpTestBase {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** "path body X-API-Key" of every call the stand-ins got. */
  private static final List<String> CALLS = new CopyOnWriteArrayList<>();
  /** Per GroupBy: progress answers until caught up, and whether the upload job fails. */
  private static final Map<String, AtomicInteger> BEHIND = new ConcurrentHashMap<>();
  private static final Map<String, String> JOB_STATUS = new ConcurrentHashMap<>();
  private static final AtomicInteger JOB_IDS = new AtomicInteger(100);
  /** Job id to "path groupBy" of the request that started it. */
  private static final Map<Long, String> JOBS = new ConcurrentHashMap<>();
  private static final HttpServer SERVICES = startServices();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    String url = "http://127.0.0.1:" + SERVICES.getAddress().getPort();
    registry.add("tessera.registry.batch-url", () -> url);
    registry.add("tessera.registry.stream-url", () -> url);
    registry.add("tessera.registry.rollout.poll-interval", () -> "50ms");
    registry.add("tessera.registry.rollout.purge-after", () -> "1s");
  }

  private static HttpServer startServices() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/api/v1/jobs", exchange -> {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        CALLS.add(exchange.getRequestURI().getPath() + " " + body + " " + exchange.getRequestHeaders().getFirst("X-API-Key"));
        if (exchange.getRequestMethod().equals("POST")) {
          long id = JOB_IDS.incrementAndGet();
          JOBS.put(id, exchange.getRequestURI().getPath() + " " + JSON.readTree(body).path("groupBy").asString());
          answer(exchange, 202, "{\"id\": " + id + ", \"status\": \"STARTING\"}");
        } else {
          long id = Long.parseLong(exchange.getRequestURI().getPath().substring("/api/v1/jobs/".length()));
          String job = JOBS.get(id);
          String status = job.startsWith("/api/v1/jobs/upload ") ? JOB_STATUS.getOrDefault(job.substring(job.indexOf(' ') + 1), "COMPLETED")
              : "COMPLETED";
          answer(exchange, 200, "{\"id\": " + id + ", \"status\": \"" + status + "\", \"errors\": [\"warehouse table purchases is missing\"],"
              + " \"result\": {\"keysDeleted\": 7}}");
        }
      });
      server.createContext("/api/v1/streaming-jobs/", exchange -> {
        CALLS.add(exchange.getRequestURI() + " - -");
        String[] path = exchange.getRequestURI().getPath().split("/");
        String name = path[4];
        if (path.length == 5) {
          // the job of a GroupBy: none for the batch-only one
          if (name.startsWith("rollout_batch_only")) answer(exchange, 404, "{\"status\": 404, \"title\": \"No streaming job\"}");
          else answer(exchange, 200, "{\"name\": \"" + name + "\", \"state\": \"RUNNING\"}");
          return;
        }
        int behind = BEHIND.computeIfAbsent(name, n -> new AtomicInteger(3)).getAndUpdate(b -> Math.max(0, b - 1));
        answer(exchange, 200, "{\"name\": \"" + name + "\", \"state\": \"RUNNING\", \"caughtUp\": " + (behind == 0)
            + ", \"partitions\": [{\"topic\": \"purchases\", \"partition\": 0, \"committed\": " + (10 - behind) + ", \"needed\": 10}]}");
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(String yaml) {
    http.post().uri("/api/v1/groupbys").contentType(MediaType.parseMediaType("application/yaml"))
        .headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).body(yaml).exchange().expectStatus().is2xxSuccessful();
  }

  private JsonNode get(String path) {
    return JSON.readTree(http.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
  }

  private JsonNode awaitState(String name, String state) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    JsonNode r = get("/api/v1/groupbys/" + name + "/rollout");
    while (!r.path("state").asString().equals(state) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
      r = get("/api/v1/groupbys/" + name + "/rollout");
    }
    assertThat(r.path("state").asString()).as(r.toString()).isEqualTo(state);
    return r;
  }

  @Test
  void aNewVersionGoesLiveOnlyAfterItsUploadAndTheStreamCatchingUp() throws Exception {
    String name = uniqueName("rollout");
    publish(yaml(name, "risk", "1h"));
    assertThat(get("/api/v1/groupbys/" + name + "/rollout").path("state").asString()).isEqualTo("LIVE");
    publish(yaml(name, "risk", "1h, 7d"));

    JsonNode pending = get("/api/v1/groupbys/" + name + "/rollout");
    assertThat(pending.path("liveVersion").asInt()).isEqualTo(1);
    assertThat(pending.path("version").asInt()).isEqualTo(2);
    assertThat(pending.path("state").asString()).isEqualTo("PUBLISHED");
    assertThat(pending.path("steps").findValuesAsString("step")).containsExactly("upload", "catch-up", "switch");
    // operators see it waiting
    assertThat(http.get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult().getResponseBody())
        .containsPattern("tessera_registry_rollouts\\{[^}]*state=\"PUBLISHED\"[^}]*} [1-9]");
    // the services are told the live version: still 1
    assertThat(get("/api/v1/groupbys/" + name + "/live").path("version").asInt()).isEqualTo(1);
    assertThat(get("/api/v1/groupbys/" + name).path("version").asInt()).as("the latest version").isEqualTo(2);

    // a reader may look but not start it
    http.post().uri("/api/v1/groupbys/" + name + "/rollout").headers(h -> h.setBasicAuth(READER, READER_PASSWORD)).exchange()
        .expectStatus().isForbidden();
    http.post().uri("/api/v1/groupbys/" + name + "/rollout").headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isAccepted();
    JsonNode live = awaitState(name, "LIVE");
    assertThat(live.path("liveVersion").asInt()).isEqualTo(2);
    assertThat(live.path("steps").findValuesAsString("step")).containsExactly("upload", "catch-up", "switch", "purge");
    assertThat(live.path("steps").findValuesAsString("status")).containsExactly("DONE", "DONE", "DONE", "PENDING");
    assertThat(live.path("replaced").asInt()).isEqualTo(1);
    assertThat(get("/api/v1/groupbys/" + name + "/live").path("version").asInt()).isEqualTo(2);

    // after the grace period, version 1's online data is purged by the batch service
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    JsonNode purged = get("/api/v1/groupbys/" + name + "/rollout");
    while (!purged.path("steps").get(3).path("status").asString().equals("DONE") && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      purged = get("/api/v1/groupbys/" + name + "/rollout");
    }
    assertThat(purged.path("steps").get(3).path("detail").asString()).as("%s", purged).startsWith("removed 7 Redis keys of version 1");
    assertThat(CALLS).anyMatch(c -> c.startsWith("/api/v1/jobs/purge ") && c.contains("\"groupBy\":\"" + name + "\"")
        && c.contains("\"version\":1"));

    // the upload was of version 2, as of the last complete day, with a credential the registry accepts
    String upload = CALLS.stream().filter(c -> c.startsWith("/api/v1/jobs/upload ") && c.contains(name)).findFirst().orElseThrow();
    assertThat(upload).contains("\"version\":2").contains("\"date\":\"" + java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1) + "\"");
    String token = upload.substring(upload.lastIndexOf(' ') + 1);
    http.get().uri("/api/v1/auth/me").header("X-API-Key", token).exchange().expectStatus().isOk();
    // the catch-up was asked up to when it began (after the upload's batch end, today's midnight), until caught up
    List<Long> untils = CALLS.stream().filter(c -> c.startsWith("/api/v1/streaming-jobs/" + name + "/versions/2/progress?until="))
        .map(c -> Long.parseLong(c.substring(c.indexOf("until=") + 6, c.indexOf(' ')))).distinct().toList();
    assertThat(untils).hasSize(1);
    assertThat(untils.getFirst()).isBetween(java.time.LocalDate.now(java.time.ZoneOffset.UTC).atStartOfDay(java.time.ZoneOffset.UTC)
        .toInstant().toEpochMilli(), System.currentTimeMillis());
    assertThat(CALLS.stream().filter(c -> c.startsWith("/api/v1/streaming-jobs/" + name + "/versions/2/progress?"))).hasSizeGreaterThanOrEqualTo(4);

    // nothing left: 409 nothing-to-roll-out
    String problem = http.post().uri("/api/v1/groupbys/" + name + "/rollout").headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD))
        .exchange().expectStatus().isEqualTo(409).expectBody(String.class).returnResult().getResponseBody();
    assertThat(problem).contains("nothing-to-roll-out").contains("version 2 of " + name + " is live");
  }

  @Test
  void aFailedUploadLeavesTheOldVersionServedAndSaysWhy() throws Exception {
    String name = uniqueName("rollout_fail");
    publish(yaml(name, "risk", "1h"));
    publish(yaml(name, "risk", "1h, 7d"));
    JOB_STATUS.put(name, "FAILED");
    http.post().uri("/api/v1/groupbys/" + name + "/rollout").headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isAccepted();
    JsonNode failed = awaitState(name, "FAILED");
    assertThat(failed.path("error").asString()).contains("ended FAILED").contains("warehouse table purchases is missing");
    assertThat(failed.path("steps").get(0).path("status").asString()).isEqualTo("FAILED");
    assertThat(get("/api/v1/groupbys/" + name + "/live").path("version").asInt()).isEqualTo(1);

    // fixed: starting it again resumes and finishes
    JOB_STATUS.put(name, "COMPLETED");
    http.post().uri("/api/v1/groupbys/" + name + "/rollout").headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isAccepted();
    assertThat(awaitState(name, "LIVE").path("liveVersion").asInt()).isEqualTo(2);
  }

  @Test
  void theGroupBysPageShowsTheRolloutAndAWriterStartsItThere() throws Exception {
    String name = uniqueName("rollout_ui");
    publish(yaml(name, "risk", "1h"));
    publish(yaml(name, "risk", "1h, 7d"));
    BEHIND.put(name, new AtomicInteger(0));

    dev.tessera.registry.ui.UiSession reader = new dev.tessera.registry.ui.UiSession(port);
    reader.login(READER, READER_PASSWORD);
    String page = org.springframework.web.util.HtmlUtils.htmlUnescape(reader.get("/ui/groupbys/" + name).body());
    assertThat(page).contains("id=\"rollout\"").contains(">PUBLISHED</span>").contains("data-step=\"upload\"")
        .doesNotContain("id=\"rollout-start\"");

    dev.tessera.registry.ui.UiSession writer = new dev.tessera.registry.ui.UiSession(port);
    writer.login(WRITER, WRITER_PASSWORD);
    writer.get("/ui/groupbys/" + name);
    String started = org.springframework.web.util.HtmlUtils.htmlUnescape(
        writer.postAndFollow("/ui/groupbys/" + name + "/rollout", Map.of()).body());
    assertThat(started).contains("Rolling out version 2");
    awaitState(name, "LIVE");
    assertThat(writer.get("/ui/groupbys/" + name).body()).doesNotContain("id=\"rollout\"");
  }

  @Test
  void aGroupByThatNoStreamingJobRunsSwitchesAfterItsUpload() throws Exception {
    String name = uniqueName("rollout_batch_only");
    publish(yaml(name, "risk", "1h"));
    publish(yaml(name, "risk", "1h, 7d"));
    http.post().uri("/api/v1/groupbys/" + name + "/rollout").headers(h -> h.setBasicAuth(WRITER, WRITER_PASSWORD)).exchange()
        .expectStatus().isAccepted();
    JsonNode live = awaitState(name, "LIVE");
    assertThat(live.path("steps").findValuesAsString("status")).containsExactly("DONE", "SKIPPED", "DONE", "PENDING");
    assertThat(live.path("steps").get(1).path("detail").asString()).contains("no streaming job");
    assertThat(CALLS).noneMatch(c -> c.startsWith("/api/v1/streaming-jobs/" + name + "/versions/"));
  }
}
