package dev.tessera.registry.system;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every setting of the registry ({@code tessera.registry.*}), checked when the service starts: a
 * bad value stops it with the property's name in the message instead of failing later.
 *
 * @param dataDir where the default H2 database file lives ({@code <dataDir>/registry.mv.db})
 * @param topic the compacted topic every published version goes to (DESIGN.md "Modules")
 * @param maxRequestSize largest request body accepted; larger ones get 413
 * @param fetcherUrl base URL of the fetcher the admin UI's "try a fetch" box calls
 * @param fetcherTimeout how long the admin UI waits for the fetcher
 * @param batchUrl base URL of the batch service the admin UI's consistency and metrics pages read
 * @param batchTimeout how long the admin UI waits for the batch service
 * @param streamUrl base URL of the stream service the admin UI's metrics page and rollouts read
 * @param rollout how a new GroupBy version is brought live (DESIGN.md "Version rollout")
 */
@ConfigurationProperties("tessera.registry")
public record RegistryProperties(
    @DefaultValue("./data") Path dataDir,
    @DefaultValue("tessera.registry") String topic,
    @DefaultValue("1MB") DataSize maxRequestSize,
    @DefaultValue("http://localhost:8080") URI fetcherUrl,
    @DefaultValue("5s") Duration fetcherTimeout,
    @DefaultValue("http://localhost:8082") URI batchUrl,
    @DefaultValue("5s") Duration batchTimeout,
    @DefaultValue("http://localhost:8083") URI streamUrl,
    @DefaultValue Rollout rollout,
    @DefaultValue Publication publication,
    @DefaultValue Security security) {

  /** Kafka's own rule for topic names. */
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public RegistryProperties {
    require(dataDir != null, "tessera.registry.data-dir must be set");
    require(topic != null && TOPIC.matcher(topic).matches(),
        "tessera.registry.topic must be a Kafka topic name (letters, digits, '.', '_', '-'), got '" + topic + "'");
    require(maxRequestSize != null && maxRequestSize.toBytes() >= 1024,
        "tessera.registry.max-request-size must be at least 1KB, got " + maxRequestSize);
    requireHttpUrl(fetcherUrl, "tessera.registry.fetcher-url");
    requirePositive(fetcherTimeout, "tessera.registry.fetcher-timeout");
    requireHttpUrl(batchUrl, "tessera.registry.batch-url");
    requirePositive(batchTimeout, "tessera.registry.batch-timeout");
    requireHttpUrl(streamUrl, "tessera.registry.stream-url");
  }

  /**
   * How the outbox relay moves committed versions to the topic.
   *
   * @param publishWait how long a publish request waits for its record to reach Kafka before it
   *     answers "pending" (the version is committed either way)
   * @param retryInitial first pause after Kafka refused or timed out; doubles up to {@code retryMax}
   * @param staleAfter a record pending longer than this turns the health component DOWN
   * @param pollInterval how often the relay looks for records written by another registry instance
   * @param sendTimeout how long one send (and topic creation) may take
   * @param batchSize records read and sent per round
   * @param topicPartitions partitions when the relay creates the topic
   * @param topicReplicationFactor replication when the relay creates the topic; 0 = broker default
   * @param maxRecordBytes largest record (name + canonical JSON) a publish may put on the topic; a
   *     larger definition is refused with 400. Must leave room under the producer's
   *     {@code max.request.size} (checked at start).
   */
  public record Publication(
      @DefaultValue("3s") Duration publishWait,
      @DefaultValue("500ms") Duration retryInitial,
      @DefaultValue("30s") Duration retryMax,
      @DefaultValue("30s") Duration staleAfter,
      @DefaultValue("1s") Duration pollInterval,
      @DefaultValue("10s") Duration sendTimeout,
      @DefaultValue("100") int batchSize,
      @DefaultValue("1") int topicPartitions,
      @DefaultValue("0") short topicReplicationFactor,
      @DefaultValue("1000KB") DataSize maxRecordBytes) {
    public Publication {
      require(publishWait != null && !publishWait.isNegative(), "tessera.registry.publication.publish-wait must be >= 0");
      requirePositive(retryInitial, "tessera.registry.publication.retry-initial");
      requirePositive(retryMax, "tessera.registry.publication.retry-max");
      require(retryMax.compareTo(retryInitial) >= 0, "tessera.registry.publication.retry-max must be >= retry-initial");
      requirePositive(staleAfter, "tessera.registry.publication.stale-after");
      requirePositive(pollInterval, "tessera.registry.publication.poll-interval");
      requirePositive(sendTimeout, "tessera.registry.publication.send-timeout");
      require(batchSize >= 1 && batchSize <= 10_000, "tessera.registry.publication.batch-size must be between 1 and 10000, got " + batchSize);
      require(topicPartitions >= 1, "tessera.registry.publication.topic-partitions must be >= 1, got " + topicPartitions);
      require(topicReplicationFactor >= 0, "tessera.registry.publication.topic-replication-factor must be >= 0 (0 = broker default)");
      require(maxRecordBytes != null && maxRecordBytes.toBytes() >= 1024,
          "tessera.registry.publication.max-record-bytes must be at least 1KB, got " + maxRecordBytes);
    }
  }

  /**
   * How the registry rolls a new GroupBy version out (upload on {@code batch-url}, catch-up on
   * {@code stream-url}, then the switch).
   *
   * @param pollInterval how often a running rollout asks the batch and stream services
   * @param callTimeout time limit of one such call
   * @param uploadTimeout how long the upload job may take before the rollout fails
   * @param catchUpTimeout how long the new version's stream job may take to catch up
   * @param purgeAfter how long after the switch the replaced version's Redis data is deleted
   *     (batch purge job), unless an active Join pins that version
   */
  public record Rollout(
      @DefaultValue("2s") Duration pollInterval,
      @DefaultValue("10s") Duration callTimeout,
      @DefaultValue("2h") Duration uploadTimeout,
      @DefaultValue("1h") Duration catchUpTimeout,
      @DefaultValue("1h") Duration purgeAfter) {
    public Rollout {
      requirePositive(pollInterval, "tessera.registry.rollout.poll-interval");
      requirePositive(callTimeout, "tessera.registry.rollout.call-timeout");
      requirePositive(uploadTimeout, "tessera.registry.rollout.upload-timeout");
      requirePositive(catchUpTimeout, "tessera.registry.rollout.catch-up-timeout");
      require(purgeAfter != null && !purgeAfter.isNegative(), "tessera.registry.rollout.purge-after must not be negative, got " + purgeAfter);
    }
  }

  /**
   * Who may write. With no users and no tokens the service generates an admin password at start
   * and logs it (never a built-in default password).
   */
  public record Security(@DefaultValue List<User> users, @DefaultValue List<ApiToken> apiTokens) {
    public Security {
      users = List.copyOf(users == null ? List.of() : users);
      apiTokens = List.copyOf(apiTokens == null ? List.of() : apiTokens);
      Set<String> names = new HashSet<>();
      for (int i = 0; i < users.size(); i++) {
        User u = users.get(i);
        require(names.add(u.name()), "tessera.registry.security.users[" + i + "].name '" + u.name() + "' is used twice");
      }
      Set<String> tokens = new HashSet<>();
      for (int i = 0; i < apiTokens.size(); i++) {
        require(tokens.add(apiTokens.get(i).token()), "tessera.registry.security.api-tokens[" + i + "].token is used twice");
      }
    }

    public boolean nothingConfigured() {
      return users.isEmpty() && apiTokens.isEmpty();
    }
  }

  /**
   * A login for the API (HTTP Basic) and the admin UI (form login).
   *
   * @param password plain text, or an encoded form with its id such as {@code {bcrypt}$2a$...}
   * @param roles READER (UI only), WRITER (publish, retire), ADMIN (everything)
   */
  public record User(String name, String password, @DefaultValue("WRITER") List<Role> roles) {
    public User {
      require(name != null && !name.isBlank() && !name.contains(":"), "tessera.registry.security.users[].name must be set and contain no ':'");
      require(password != null && password.length() >= 8,
          "tessera.registry.security.users[].password of '" + name + "' must have at least 8 characters");
      roles = List.copyOf(roles == null || roles.isEmpty() ? List.of(Role.WRITER) : roles);
    }
  }

  /**
   * A token for machines (CI, the CLI): sent as {@code X-API-Key: <token>} or
   * {@code Authorization: Bearer <token>}; {@code name} is what the registry records as publisher.
   */
  public record ApiToken(String name, String token, @DefaultValue("WRITER") List<Role> roles) {
    public ApiToken {
      require(name != null && !name.isBlank(), "tessera.registry.security.api-tokens[].name must be set");
      require(token != null && token.length() >= 16,
          "tessera.registry.security.api-tokens[].token of '" + name + "' must have at least 16 characters");
      roles = List.copyOf(roles == null || roles.isEmpty() ? List.of(Role.WRITER) : roles);
    }
  }

  public enum Role { READER, WRITER, ADMIN }

  private static void require(boolean condition, String message) {
    if (!condition) throw new IllegalArgumentException(message);
  }

  private static void requireHttpUrl(URI url, String property) {
    require(url != null && url.isAbsolute() && ("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null,
        property + " must be an absolute http(s) URL, got '" + url + "'");
  }

  private static void requirePositive(Duration d, String property) {
    require(d != null && d.isPositive(), property + " must be a positive duration, got " + d);
  }
}
