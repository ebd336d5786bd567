package dev.tessera.batch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.agg.registry.PublishedJoin;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TEST HELPER standing in for the registry service's versions endpoint,
 * {@code GET /api/v1/groupbys/{name}/versions/{v}}, and its Join endpoints
 * {@code GET /api/v1/joins/{name}} (the latest recorded version) and
 * {@code GET /api/v1/joins/{name}/versions/{v}}: it answers the published records a test recorded
 * (the registry topic's JSON, which is what those endpoints' bodies start with; the real endpoints'
 * shape is covered by registry-service's own tests) and 404 for anything else. The batch service's
 * ITs point {@code tessera.batch.registry-url} at it; nothing recorded means every older version is
 * unknown, as with a registry that purged them. It also answers the credential check
 * {@code GET /api/v1/auth/me} for two tokens, {@link #WRITER_TOKEN} and {@link #READER_TOKEN}, and
 * 401 for anything else, counting the checks.
 */
public final class RecordedRegistry {
  public static final RecordedRegistry INSTANCE = new RecordedRegistry();
  public static final String WRITER_TOKEN = "batch-it-writer-token-0123456789";
  public static final String READER_TOKEN = "batch-it-reader-token-0123456789";

  private final java.util.concurrent.atomic.AtomicInteger credentialChecks = new java.util.concurrent.atomic.AtomicInteger();

  private final Map<String, String> records = new ConcurrentHashMap<>();
  private final Map<String, String> joins = new ConcurrentHashMap<>();
  private final Map<String, String> latestJoins = new ConcurrentHashMap<>();
  private final HttpServer server;

  private RecordedRegistry() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/api/v1/groupbys/", exchange -> {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      // /api/v1/groupbys/{name}/versions/{v}
      answer(exchange, parts.length == 7 && parts[5].equals("versions") ? records.get(parts[4] + "/" + parts[6]) : null);
    });
    server.createContext("/api/v1/joins/", exchange -> {
      String[] parts = exchange.getRequestURI().getPath().split("/");
      // /api/v1/joins/{name} or /api/v1/joins/{name}/versions/{v}
      answer(exchange, parts.length == 5 ? latestJoins.get(parts[4])
          : parts.length == 7 && parts[5].equals("versions") ? joins.get(parts[4] + "/" + parts[6]) : null);
    });
    server.createContext("/api/v1/auth/me", exchange -> {
      credentialChecks.incrementAndGet();
      String key = exchange.getRequestHeaders().getFirst("X-API-Key");
      String body = WRITER_TOKEN.equals(key) ? "{\"name\": \"batch-it\", \"roles\": [\"WRITER\"]}"
          : READER_TOKEN.equals(key) ? "{\"name\": \"batch-it-reader\", \"roles\": [\"READER\"]}" : null;
      byte[] bytes = (body == null ? "{\"status\": 401}" : body).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(body == null ? 401 : 200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.setExecutor(null);
    server.start();
  }

  private static void answer(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = (body == null ? "{\"type\": \"https://tessera.dev/problems/unknown-version\", \"status\": 404}" : body)
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", body == null ? "application/problem+json" : "application/json");
    exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** How many credential checks the registry answered so far. */
  public int credentialChecks() {
    return credentialChecks.get();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The registry answers this version from now on (as a registry that has it in its history). */
  public void record(PublishedGroupBy published) {
    records.put(published.name() + "/" + published.version(), published.toJson());
  }

  /** The registry answers this Join version from now on, and as the Join's latest when no higher one is recorded. */
  public synchronized void record(PublishedJoin published) {
    joins.put(published.name() + "/" + published.version(), published.toJson());
    String latest = latestJoins.get(published.name());
    if (latest == null || PublishedJoin.fromJson(latest).version() <= published.version()) {
      latestJoins.put(published.name(), published.toJson());
    }
  }
}
