package dev.tessera.stream.sink;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;

/**
 * Opens {@link RedisTileWriter}s on one Lettuce client of its own. The client rejects commands
 * while disconnected (instead of queueing them without bound during an outage) and reconnects by
 * itself; every writer has its own connection, so one task's pipeline never waits on another's.
 */
public final class RedisTileWriterFactory implements TileWriterFactory, AutoCloseable {
  private final RedisClient client;
  private final Duration timeout;

  public RedisTileWriterFactory(RedisURI uri, Duration timeout) {
    this.timeout = timeout;
    this.client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .build());
  }

  @Override
  public TileWriter open(String groupBy, int version) {
    return new RedisTileWriter(client, groupBy, version, timeout);
  }

  @Override
  public void close() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
