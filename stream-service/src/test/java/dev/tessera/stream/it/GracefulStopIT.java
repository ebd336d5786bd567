package dev.tessera.stream.it;

import static dev.tessera.stream.it.KafkaRedis.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stop (SIGTERM, as systemd, Kubernetes and {@code bin/tessera local} send it) finishes within a
 * bound, whatever Kafka does (README "Stopping"): a stream service whose broker has gone exits
 * within the shutdown phase timeout plus a margin (it once ignored SIGTERM for more than 30 s), and
 * a request being served when the signal comes is answered in full while new connections are refused.
 */
class GracefulStopIT {
  /**
   * The jobs' close (StreamingJobs.SHUTDOWN_TIMEOUT, 8 s, spent in full with the broker gone), which
   * overlaps the web server's drain (a request waiting for Kafka is let go after ServiceStop.GRACE,
   * 1 s), then the followers' bounded closes (1 s each), with a margin for a loaded machine, and well
   * within the 30 s orchestrators wait before they kill: 8.6 s measured beside a build. (Before the
   * jobs closed during the drain and waiting requests were let go, the phases added up: 20 s.)
   */
  static final Duration STOP_BOUND = Duration.ofSeconds(25);

  /** A stream service with the job of GroupBy {@code name} (published here, reading {@code <name>.events}) RUNNING. */
  private static StreamProcess withRunningJob(KafkaRedis infra, String name, String registryUrl, String token) {
    String topic = name + ".events";
    infra.createTopic(topic, 2);
    infra.createTopic("tessera.deadletter." + name, 1);
    Registry.publish(infra.bootstrap(), Fixtures.purchases(name, topic, Duration.ofDays(2)), 1);
    StreamProcess service = StreamProcess.start(infra.bootstrap(), registryUrl, Path.of("target", "graceful-stop", name), "graceful-stop-" + name,
        "--tessera.stream.reconcile-interval=500ms");
    Http http = new Http(service.port(), token);
    assertThat(eventually(StreamProcess.START_TIMEOUT,
        () -> http.post("/api/v1/streaming-jobs", "{\"groupBy\": \"" + name + "\", \"mode\": \"create\"}").status() == 201))
        .as("the job is created").isTrue();
    assertThat(eventually(StreamProcess.START_TIMEOUT,
        () -> "RUNNING".equals(http.get("/api/v1/streaming-jobs/" + name).json().path("state").asString())))
        .as("the job runs").isTrue();
    return service;
  }

  @Test
  void aServiceWhoseBrokerHasGoneExitsOnSigtermWithinTheBound() throws Exception {
    String name = "it_stop_" + UUID.randomUUID().toString().substring(0, 8);
    KafkaRedis infra = new KafkaRedis();
    StreamProcess service = null;
    try {
      Registry.createTopic(infra.bootstrap());
      Registry.publish(infra.bootstrap(), Fixtures.purchases(name + "_late", name + ".events", Duration.ofDays(2)), 1);
      service = withRunningJob(infra, name, CredentialRegistry.url(), CredentialRegistry.WRITER_TOKEN);
    } finally {
      infra.deleteKeys("*" + name + "*");
      infra.close(); // the broker is gone
    }
    Thread.sleep(3_000); // the service's Kafka clients notice: their connections fail and they retry
    assertThat(service.process().isAlive()).isTrue();
    // a job start that waits for the broker is in flight when the signal comes
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/api/v1/streaming-jobs"))
            .header("X-API-Key", CredentialRegistry.WRITER_TOKEN).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"groupBy\": \"" + name + "_late\", \"mode\": \"create\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    Thread.sleep(1_000);
    assertThat(waiting).as("the job start waits for the broker").isNotDone();

    long start = System.nanoTime();
    service.process().destroy(); // SIGTERM
    boolean exited = service.process().waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) service.process().destroyForcibly();
    assertThat(exited).as("exited within %s of SIGTERM with no broker (log: %s)", STOP_BOUND, service.log()).isTrue();
    HttpResponse<String> letGo = waiting.get(1, TimeUnit.SECONDS);
    assertThat(letGo.statusCode()).as("the waiting job start is answered, not dropped: %s", letGo.body()).isEqualTo(503);
    assertThat(Fixtures.JSON.readTree(letGo.body()).path("type").asString()).endsWith("/service-stopping");
    System.out.printf("stream service without a broker stopped %d ms after SIGTERM; the job start got %s%n",
        (System.nanoTime() - start) / 1_000_000, letGo.statusCode() + " " + letGo.body());
  }

  @Test
  void aRequestInFlightAtSigtermIsAnsweredInFullNewConnectionsAreRefusedAndTheServiceExits() throws Exception {
    String name = "it_drain_" + UUID.randomUUID().toString().substring(0, 8);
    KafkaRedis infra = new KafkaRedis();
    SlowCredentialRegistry registry = new SlowCredentialRegistry(Duration.ofSeconds(3));
    StreamProcess service = null;
    try {
      Registry.createTopic(infra.bootstrap());
      service = withRunningJob(infra, name, registry.url(), SlowCredentialRegistry.QUICK_WRITER);

      // stopping the job spends 3 s in its credential check: it is in flight when the signal comes
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + "/api/v1/streaming-jobs/" + name))
              .header("X-API-Key", SlowCredentialRegistry.SLOW_WRITER).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(registry.askedSlowly.await(30, TimeUnit.SECONDS)).as("the write reached the credential check").isTrue();

      long start = System.nanoTime();
      service.process().destroy(); // SIGTERM
      Thread.sleep(1_000);
      HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
      StreamProcess stopping = service;
      assertThatThrownBy(() -> fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stopping.port() + "/actuator/health"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()))
          .as("a new connection during the stop is not served").isInstanceOf(IOException.class);

      // the job is still there to stop: the service stops its jobs after its last request, not before
      HttpResponse<String> answered = inFlight.get(20, TimeUnit.SECONDS);
      assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
      assertThat(Fixtures.JSON.readTree(answered.body()).path("state").asString()).isEqualTo("STOPPED");

      boolean exited = service.process().waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(exited).as("exited within %s of SIGTERM (log: %s)", STOP_BOUND, service.log()).isTrue();
      System.out.printf("stream service with a request in flight stopped %d ms after SIGTERM%n", (System.nanoTime() - start) / 1_000_000);
    } finally {
      if (service != null) service.process().destroyForcibly();
      registry.server.stop(0);
      infra.deleteKeys("*" + name + "*");
      infra.close();
    }
  }

  /**
   * TEST HELPER standing in for the registry's credential check: two writer tokens, one answered at
   * once and one after a delay (so that a write is still being served when the service is told to
   * stop; a token of its own, as the service keeps a valid answer for a while), 401 for anything else.
   */
  static final class SlowCredentialRegistry {
    static final String QUICK_WRITER = "stop-it-quick-writer-token-0123456789";
    static final String SLOW_WRITER = "stop-it-slow-writer-token-0123456789";
    final CountDownLatch askedSlowly = new CountDownLatch(1);
    final HttpServer server;

    SlowCredentialRegistry(Duration delay) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/api/v1/auth/me", exchange -> {
        String key = exchange.getRequestHeaders().getFirst("X-API-Key");
        if (SLOW_WRITER.equals(key)) {
          askedSlowly.countDown();
          try {
            Thread.sleep(delay);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        boolean writer = QUICK_WRITER.equals(key) || SLOW_WRITER.equals(key);
        byte[] body = (writer ? "{\"name\": \"stop-it\", \"roles\": [\"WRITER\"]}" : "{}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(writer ? 200 : 401, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }
  }
}
