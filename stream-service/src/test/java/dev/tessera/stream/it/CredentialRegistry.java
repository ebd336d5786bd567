package dev.tessera.stream.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * TEST HELPER standing in for the registry's credential check, {@code GET /api/v1/auth/me}
 * (registry-service's own tests cover the real one): a writer token, a reader token, 401 for
 * anything else. The service under test points {@code tessera.security.registry-url} at it.
 */
public final class CredentialRegistry {
  public static final String WRITER_TOKEN = "stream-it-writer-token-0123456789";
  public static final String READER_TOKEN = "stream-it-reader-token-0123456789";
  private static final HttpServer SERVER = start();

  private CredentialRegistry() {}

  public static String url() {
    return "http://127.0.0.1:" + SERVER.getAddress().getPort();
  }

  private static HttpServer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/api/v1/auth/me", exchange -> {
        String key = exchange.getRequestHeaders().getFirst("X-API-Key");
        String body = WRITER_TOKEN.equals(key) ? "{\"name\": \"stream-it\", \"roles\": [\"WRITER\"]}"
            : READER_TOKEN.equals(key) ? "{\"name\": \"stream-it-reader\", \"roles\": [\"READER\"]}" : null;
        byte[] bytes = (body == null ? "{\"status\": 401}" : body).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(body == null ? 401 : 200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
