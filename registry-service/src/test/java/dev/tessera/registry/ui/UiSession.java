package dev.tessera.registry.ui;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser: keeps the session cookie, reads the CSRF token of the last page
 * and posts forms, so the admin UI's security (form login, CSRF) is exercised for real.
 */
public final class UiSession {
  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

  private final String base;
  private final HttpClient client;
  private String csrf;

  public UiSession(int port) {
    this.base = "http://127.0.0.1:" + port;
    this.client = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    remember(r);
    return r;
  }

  /** Posts a form with the CSRF token of the last page (unless {@code withCsrf} is false). */
  public HttpResponse<String> post(String path, Map<String, String> form, boolean withCsrf) throws IOException, InterruptedException {
    Map<String, String> fields = new LinkedHashMap<>(form);
    if (withCsrf && csrf != null) fields.put("_csrf", csrf);
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    remember(r);
    return r;
  }

  public HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
    return post(path, form, true);
  }

  /** Posts and, like a browser, follows the redirect (which shows the flash message). */
  public HttpResponse<String> postAndFollow(String path, Map<String, String> form) throws IOException, InterruptedException {
    HttpResponse<String> r = post(path, form);
    if (r.statusCode() / 100 != 3) return r;
    String location = r.headers().firstValue("Location").orElseThrow();
    return get(location.startsWith("http") ? URI.create(location).getPath() + (URI.create(location).getQuery() == null ? "" : "?" + URI.create(location).getQuery()) : location);
  }

  /** Logs in through the login form; returns where the login sent the browser. */
  public String login(String user, String password) throws IOException, InterruptedException {
    get("/login");
    HttpResponse<String> r = post("/login", Map.of("username", user, "password", password));
    return r.headers().firstValue("Location").orElse("");
  }

  private void remember(HttpResponse<String> r) {
    Matcher m = CSRF.matcher(r.body());
    if (m.find()) csrf = m.group(1);
  }
}
