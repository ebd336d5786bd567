package dev.tessera.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * The registry on a real port with its in-memory H2, Kafka pointing at a closed port, and the
 * accounts of {@code config/application.properties}. Test classes extending this share one
 * Spring context. The admin UI's fetcher is a tiny HTTP server that answers like the fetcher
 * (DESIGN.md "REST APIs") and records what it was asked.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
public abstract class RegistryHttpTestBase {
  public static final String WRITER = "writer";
  public static final String WRITER_PASSWORD = "writer-secret";
  public static final String READER = "reader";
  public static final String READER_PASSWORD = "reader-secret";
  public static final String TOKEN = "ci-token-0123456789abcdef";

  /** Requests the stand-in fetcher received: "path body". */
  protected static final List<String> FETCHER_REQUESTS = new CopyOnWriteArrayList<>();
  /** What the stand-in fetcher's {@code /actuator/prometheus} answers: one fetch-latency histogram. */
  protected static final String FETCHER_PROMETHEUS = """
      # TYPE tessera_fetch_latency_seconds histogram
      tessera_fetch_latency_seconds_bucket{application="tessera-fetcher",groupBy="purchases",le="0.001"} 50.0
      tessera_fetch_latency_seconds_bucket{application="tessera-fetcher",groupBy="purchases",le="0.002"} 90.0
      tessera_fetch_latency_seconds_bucket{application="tessera-fetcher",groupBy="purchases",le="0.004"} 100.0
      tessera_fetch_latency_seconds_bucket{application="tessera-fetcher",groupBy="purchases",le="+Inf"} 100.0
      tessera_fetch_latency_seconds_count{application="tessera-fetcher",groupBy="purchases"} 100.0
      tessera_fetch_errors_total{application="tessera-fetcher",groupBy="purchases",kind="timeout"} 3.0
      """;
  private static final HttpServer FETCHER = startFetcher();

  @Autowired
  protected RestTestClient http;

  @LocalServerPort
  protected int port;

  @DynamicPropertySource
  static void fetcher(DynamicPropertyRegistry registry) {
    registry.add("tessera.registry.fetcher-url", () -> "http://127.0.0.1:" + FETCHER.getAddress().getPort());
  }

  /** Answers a stand-in service's request with JSON. */
  protected static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] out = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  private static HttpServer startFetcher() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/v1/features/groupby/", exchange -> {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        FETCHER_REQUESTS.add(exchange.getRequestURI() + " " + body);
        String name = exchange.getRequestURI().getPath().substring("/v1/features/groupby/".length());
        if (name.startsWith("unknown")) {
          answer(exchange, 404, "{\"type\":\"https://tessera.dev/problems/groupby-not-found\",\"title\":\"Unknown GroupBy\",\"status\":404,"
              + "\"detail\":\"The fetcher does not know " + name + "\"}");
        } else {
          answer(exchange, 200, "{\"results\":[{\"status\":\"Success\",\"entityKeys\":" + body.substring(1, body.length() - 1)
              + ",\"features\":{\"amount_avg_1h\":45.5},\"meta\":{\"version\":1}}]}");
        }
      });
      // the Join fetch of DESIGN-joins.md "Online": one result per request object, every output column in features
      server.createContext("/v1/features/join/", exchange -> {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        FETCHER_REQUESTS.add(exchange.getRequestURI() + " " + body);
        answer(exchange, 200, "{\"results\":[{\"status\":\"Success\",\"features\":{\"buyer_amount_avg_1h\":45.5,"
            + "\"amount_vs_avg\":0.27},\"meta\":{\"joinVersion\":1}}]}");
      });
      // the fetcher's Prometheus page, for the admin UI's Metrics page
      server.createContext("/actuator/prometheus", exchange -> {
        byte[] out = FETCHER_PROMETHEUS.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
