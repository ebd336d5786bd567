package dev.tessera.fetcher.store;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the feature data lives and how to log in: a standalone Redis ({@code spring.data.redis.*}).
 *
 * @param username ACL user, or null for the default user
 * @param password null when Redis has no password
 * @param database the logical database selected after connecting
 * @param ssl TLS with the JDK's default trust store
 * @param connectTimeout time limit of one connection attempt (a read's own time limit may cut it shorter)
 */
record RedisEndpoint(String host, int port, String username, String password, int database, boolean ssl, Duration connectTimeout) {
  RedisEndpoint {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65_535) throw new IllegalArgumentException("Redis port must be 1..65535, was " + port);
    if (database < 0) throw new IllegalArgumentException("Redis database must be >= 0, was " + database);
    if (connectTimeout == null || !connectTimeout.isPositive()) throw new IllegalArgumentException("connect timeout must be positive");
    if (username != null && password == null) throw new IllegalArgumentException("a Redis username needs a password");
  }

  String where() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    // never the password
    return "RedisEndpoint[" + where() + ", database " + database + (ssl ? ", TLS" : "") + (username != null ? ", user " + username : "") + "]";
  }
}
