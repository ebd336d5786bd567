package dev.tessera.support;

import com.sun.net.httpserver.HttpServer;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.node.ObjectNode;

/** The registry REST API over real HTTP, answered from maps: what was published, retired or broken. */
final class StubRegistry implements AutoCloseable {
  /** Path -> body; a missing path is a 404. */
  final Map<String, String> bodies = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  volatile int failWith;
  private final HttpServer server;

  StubRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      requests.add(path);
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) authorizations.add(auth);
      String body = bodies.get(path);
      int status = failWith != 0 ? failWith : body == null ? 404 : 200;
      byte[] bytes = (status == 200 ? body : "{}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Publishes {@code g} as the live version (and as that version). */
  void publish(PublishedGroupBy g) {
    String body = withStatus(g.toTree(), "ACTIVE");
    bodies.put("/api/v1/groupbys/" + g.name(), body);
    bodies.put("/api/v1/groupbys/" + g.name() + "/live", body);
    bodies.put("/api/v1/groupbys/" + g.name() + "/versions/" + g.version(), body);
  }

  /** Keeps {@code g} as an older version only. */
  void publishVersion(PublishedGroupBy g) {
    bodies.put("/api/v1/groupbys/" + g.name() + "/versions/" + g.version(), withStatus(g.toTree(), "ACTIVE"));
  }

  void retire(PublishedGroupBy g) {
    bodies.put("/api/v1/groupbys/" + g.name(), withStatus(g.toTree(), "RETIRED"));
    bodies.put("/api/v1/groupbys/" + g.name() + "/live", withStatus(g.toTree(), "RETIRED"));
  }

  void publish(PublishedJoin j) {
    String body = withStatus(j.toTree(), "ACTIVE");
    bodies.put("/api/v1/joins/" + j.name(), body);
    bodies.put("/api/v1/joins/" + j.name() + "/versions/" + j.version(), body);
  }

  private static String withStatus(ObjectNode n, String status) {
    return n.put("status", status).toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
