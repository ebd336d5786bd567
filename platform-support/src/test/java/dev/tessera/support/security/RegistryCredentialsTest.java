package dev.tessera.support.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The credential check against a stand-in of the registry's {@code GET /api/v1/auth/me}. */
class RegistryCredentialsTest {
  private final AtomicInteger asked = new AtomicInteger();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private HttpServer registry;

  private RegistryCredentials start() throws Exception {
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext(RegistryCredentials.ME_PATH, exchange -> {
      asked.incrementAndGet();
      boolean ok = "good-token".equals(exchange.getRequestHeaders().getFirst("X-API-Key"));
      byte[] body = (ok ? "{\"name\": \"ci\", \"roles\": [\"WRITER\"]}" : "{}").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    registry.start();
    return new RegistryCredentials(URI.create("http://127.0.0.1:" + registry.getAddress().getPort()), Duration.ofSeconds(2),
        Duration.ofSeconds(30), Duration.ofSeconds(5), now::get);
  }

  @AfterEach
  void stop() {
    if (registry != null) registry.stop(0);
  }

  @Test
  void aValidCredentialIsAskedOncePerTtlAndAnInvalidOneOncePerInvalidTtl() throws Exception {
    RegistryCredentials credentials = start();
    Credential good = new Credential(Credential.API_KEY, "good-token");
    assertThat(credentials.check(good)).isEqualTo(new CredentialCheck.Valid(new Caller("ci", java.util.Set.of("WRITER"))));
    credentials.check(good);
    assertThat(asked).hasValue(1);
    now.set(now.get().plusSeconds(31));
    credentials.check(good);
    assertThat(asked).hasValue(2);
    Credential bad = new Credential(Credential.API_KEY, "bad-token");
    assertThat(credentials.check(bad)).isInstanceOf(CredentialCheck.Invalid.class);
    assertThat(credentials.check(bad)).as("kept for 5 s").isInstanceOf(CredentialCheck.Invalid.class);
    assertThat(asked).hasValue(3);
    now.set(now.get().plusSeconds(6));
    assertThat(credentials.check(bad)).isInstanceOf(CredentialCheck.Invalid.class);
    assertThat(asked).as("asked again after 5 s").hasValue(4);
  }

  @Test
  void noAnswerIsNeverKept() throws Exception {
    RegistryCredentials credentials = start();
    int port = registry.getAddress().getPort();
    registry.stop(0);
    Credential good = new Credential(Credential.API_KEY, "good-token");
    assertThat(credentials.check(good)).isInstanceOf(CredentialCheck.Unavailable.class);
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    registry.createContext(RegistryCredentials.ME_PATH, exchange -> {
      byte[] body = "{\"name\": \"ci\", \"roles\": [\"READER\"]}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    registry.start();
    assertThat(credentials.check(good)).as("the registry is back: asked again at once").isInstanceOf(CredentialCheck.Valid.class);
  }

  @Test
  void aRegistryThatDoesNotAnswerIsUnavailableNotInvalid() throws Exception {
    RegistryCredentials credentials = start();
    registry.stop(0);
    assertThat(credentials.check(new Credential(Credential.API_KEY, "good-token"))).isInstanceOf(CredentialCheck.Unavailable.class);
  }

  @Test
  void theSecretNeverShowsInACredentialsText() {
    Credential token = new Credential(Credential.AUTHORIZATION, "Bearer very-secret-token");
    assertThat(token.toString()).doesNotContain("very-secret-token");
    Credential basic = new Credential(Credential.AUTHORIZATION,
        "Basic " + java.util.Base64.getEncoder().encodeToString("alice:hunter22".getBytes(StandardCharsets.UTF_8)));
    assertThat(basic.toString()).contains("user:alice").doesNotContain("hunter22");
  }
}
