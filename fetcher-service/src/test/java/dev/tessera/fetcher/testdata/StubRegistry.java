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
 * requests.
 */
public final class StubRegistry implements AutoCloseable {
  private final HttpServer server;
  private final Map<String, String> bodies = new ConcurrentHashMap<>();
  private final Map<String, Boolean> broken = new ConcurrentHashMap<>();
  public final AtomicInteger requests = new AtomicInteger();

  public StubRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    serve("/api/v1/groupbys/", "");
    serve("/api/v1/joins/", "join:");
    server.start();
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
