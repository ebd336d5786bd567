package dev.tessera.registry.ui;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a service's Prometheus page ({@code GET {base}/actuator/prometheus}) for the admin UI's
 * Metrics page, and turns every failure into a sentence a person can act on.
 */
final class PrometheusScraper {
  private final Duration timeout;
  private final HttpClient http;

  /** The page's text, or why there is none. */
  record Scrape(String text, String error) {
    static Scrape ok(String text) {
      return new Scrape(text, null);
    }
  }

  PrometheusScraper(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  static URI pageOf(URI base) {
    String path = base.getPath() == null || base.getPath().isEmpty() ? "/" : base.getPath();
    return base.resolve(path.endsWith("/") ? path + "actuator/prometheus" : path + "/actuator/prometheus");
  }

  Scrape scrape(URI base) {
    URI page = pageOf(base);
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(page).timeout(timeout).header("Accept", "text/plain").GET().build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() == 200) return Scrape.ok(response.body());
      return new Scrape(null, page + " answered " + response.statusCode() + ".");
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return new Scrape(null, "not reachable at " + base + " (connection refused or timed out). Is it running?");
    } catch (HttpTimeoutException e) {
      return new Scrape(null, page + " did not answer within " + timeout.toMillis() + " ms.");
    } catch (IOException e) {
      return new Scrape(null, "not reachable at " + base + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ").");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Scrape(null, "interrupted while reading " + page + ".");
    }
  }
}
