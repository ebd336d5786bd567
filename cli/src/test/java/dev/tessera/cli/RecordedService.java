package dev.tessera.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * UNIT-TEST HELPER FOR THE CLI'S HTTP HANDLING, NOT A FAKE OF THE PLATFORM. It answers with JSON
 * written after the batch and stream services' documented API (their READMEs) and the registry's
 * rollout contract (issue 19), so the tests check
 * what the client does with such answers: the requests it sends, how it polls, what it prints and
 * which exit code it returns. Whether the services really answer that way is tested in those
 * services, and against a real batch-service by {@code BatchJobCommandsIT}.
 */
final class RecordedService implements AutoCloseable {
  record Answer(int status, String body) {}

  /** A request as received; {@code authorization} is its Authorization header (null without). */
  record Request(String method, String path, String body, String authorization) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  RecordedService() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String uri = exchange.getRequestURI().toString();
      String key = exchange.getRequestMethod() + " " + uri;
      requests.add(new Request(exchange.getRequestMethod(), uri, body, exchange.getRequestHeaders().getFirst("Authorization")));
      Deque<Answer> queue = answers.get(key);
      // the last answer of a route repeats (a job that stays COMPLETED)
      Answer a = queue == null ? new Answer(404, "{\"title\": \"Not Found\", \"detail\": \"no answer recorded for " + key + "\"}")
          : queue.size() > 1 ? queue.poll() : queue.peek();
      byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", a.status() >= 400 ? "application/problem+json" : "application/json");
      exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  /** Answers {@code method path} with these, in order; the last one repeats. */
  RecordedService on(String method, String path, int status, String... bodies) {
    Deque<Answer> q = answers.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
    for (String b : bodies) q.add(new Answer(status, b));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
