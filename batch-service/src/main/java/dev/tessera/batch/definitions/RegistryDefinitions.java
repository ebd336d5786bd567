package dev.tessera.batch.definitions;

import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import java.util.Collection;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * Definitions from the compacted registry topic (the normal path): the registry publishes every
 * version there and {@link RegistryFollower} keeps the live ones. Starting does not wait for Kafka:
 * until the topic has been read, requests get "definitions not loaded yet" instead of a wrong 404.
 */
public final class RegistryDefinitions implements GroupByDefinitions, SmartLifecycle {
  private final RegistryFollower follower;
  private final String topic;
  private volatile boolean running;

  public RegistryDefinitions(RegistryFollower follower, String topic) {
    this.follower = follower;
    this.topic = topic;
  }

  @Override
  public Optional<LiveGroupBy> find(String name) {
    return follower.get(name);
  }

  @Override
  public Collection<LiveGroupBy> all() {
    return follower.all().values();
  }

  @Override
  public boolean ready() {
    return follower.isCaughtUp();
  }

  @Override
  public String description() {
    return "registry topic " + topic;
  }

  public long badRecords() {
    return follower.badRecords();
  }

  @Override
  public void start() {
    follower.start();
    running = true;
  }

  @Override
  public void stop() {
    follower.close();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
