package dev.tessera.fetcher.testdata;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the registry service's {@code GET /api/v1/groupbys/{name}},
 * {@code /api/v1/groupbys/{name}/versions/{v}} and {@code /api/v1/joins/{name}} over real HTTP (the
 * registry module is built separately): 200 with the published definition's JSON (status RETIRED
 * for a retired one), 404 for an unknown name, 500 for names registered as broken. Counts the
 * requests. It also answers the credential check {@code GET /api/v1/auth/me} for the API tokens a
 * test gave it ({@code X-API-Key} or {@code Authorization: Bearer}; 401 for any other), counting the
 * checks per token; while {@link #credentialsDown} it drops those connections unanswered, as a
 * registry that died would.
 */
public final class StubRegistry implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final Map<String, Boolean> broken = new ConcurrentHashMap<>();
  public final AtomicInteger requests = new AtomicInteger();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> checks = new ConcurrentHashMap<>();
  public volatile boolean credentialsDown;

  public StubRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    serve("/api/v1/groupbys/", "");
    serve("/api/v1/joins/", "join:");
    server.createContext("/api/v1/auth/me", exchange -> {
      String token = exchange.getRequestHeaders().getFirst("X-API-Key");
      String bearer = exchange.getRequestHeaders().getFirst("Authorization");
      if (token == null && bearer != null && bearer.startsWith("Bearer ")) token = bearer.substring(7);
      checks.computeIfAbsent(String.valueOf(token), t -> new AtomicInteger()).incrementAndGet();
      if (credentialsDown) {
        exchange.close(); // no answer at all
        return;
      }
      String caller = token == null ? null : tokens.get(token);
      byte[] bytes = (caller == null ? "{\"status\":401}" : caller).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(caller == null ? 401 : 200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  /** The credential check knows {@code token} as {@code name} with {@code roles}. */
  public void token(String token, String name, String... roles) {
    tokens.put(token, "{\"name\": \"" + name + "\", \"roles\": [" + String.join(", ", java.util.Arrays.stream(roles).map(r -> "\"" + r + "\"").toList())
        + "]}");
  }

  /** How often the credential check was asked about {@code token}. */
  public int checks(String token) {
    AtomicInteger n = checks.get(token);
    return n == null ? 0 : n.get();
  }

  /** Bodies are kept by GroupBy name, {@code name@version} and {@code join:name}. */
  private void serve(String path, String namespace) {
    server.createContext(path, exchange -> {
      requests.incrementAndGet();
      // {name}/live is the served version: the stand-in serves the one it was given
      String name = namespace + exchange.getRequestURI().getPath().substring(path.length()).replace("/versions/", "@").replaceFirst("/live$", "");
      String body = bodies.get(name);
      int status = broken.containsKey(name) ? 500 : body == null ? 404 : 200;
      byte[] bytes = (status == 200 ? body : "{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void publish(PublishedGroupBy g) {
    bodies.put(g.name(), g.toJson());
  }

  /** Answers {@code /versions/{v}} of the GroupBy with this version (and nothing else). */
  public void publishVersion(PublishedGroupBy g) {
    bodies.put(g.name() + "@" + g.version(), g.toJson());
  }

  public void publish(PublishedJoin j) {
    bodies.put(PublishedJoin.topicKey(j.name()), j.toJson());
  }

  /** Answers for the GroupBy as the registry does for a retired one: its last version with status RETIRED. */
  public void retire(PublishedGroupBy g) {
    String json = g.toJson();
    bodies.put(g.name(), json.substring(0, json.length() - 1) + ",\"status\":\"RETIRED\"}");
  }

  public void breakName(String name) {
    broken.put(name, true);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
