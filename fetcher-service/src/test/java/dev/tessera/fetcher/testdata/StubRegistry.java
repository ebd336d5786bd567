package dev.tessera.fetcher.testdata;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.agg.registry.PublishedGroupBy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the registry service's {@code GET /api/v1/groupbys/{name}} over real HTTP (the
 * registry module is built separately): 200 with the published GroupBy's JSON (status RETIRED for a
 * retired one), 404 for an unknown name, 500 for names registered as broken. Counts the requests.
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
    server.createContext("/api/v1/groupbys/", exchange -> {
      requests.incrementAndGet();
      String name = exchange.getRequestURI().getPath().substring("/api/v1/groupbys/".length());
      String body = bodies.get(name);
      int status = broken.containsKey(name) ? 500 : body == null ? 404 : 200;
      byte[] bytes = (status == 200 ? body : "{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void publish(PublishedGroupBy g) {
    bodies.put(g.name(), g.toJson());
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
