package dev.tessera.batch.definitions;

import dev.tessera.agg.registry.PublishedGroupBy;
import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import java.util.Collection;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * Definitions from the compacted registry topic (the normal path): the registry publishes every
 * version there and {@link RegistryFollower} keeps the live ones. Starting does not wait for Kafka:
 * until the topic has been read, requests get "definitions not loaded yet" instead of a wrong 404.
 * The topic carries live versions only; older ones come from the registry's REST API.
 */
public final class RegistryDefinitions implements GroupByDefinitions, SmartLifecycle {
  private final RegistryFollower follower;
  private final String topic;
  private final RegistryVersions versions;
  private volatile boolean running;

  public RegistryDefinitions(RegistryFollower follower, String topic) {
    this(follower, topic, null);
  }

  /** @param versions where versions that are no longer live are found (the registry's REST API), or null for none */
  public RegistryDefinitions(RegistryFollower follower, String topic, RegistryVersions versions) {
    this.follower = follower;
    this.topic = topic;
    this.versions = versions;
  }

  @Override
  public Optional<LiveGroupBy> find(String name) {
    return follower.get(name);
  }

  @Override
  public Optional<PublishedGroupBy> version(String name, int version) {
    Optional<PublishedGroupBy> live = GroupByDefinitions.super.version(name, version);
    return live.isPresent() || versions == null ? live : versions.find(name, version);
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
