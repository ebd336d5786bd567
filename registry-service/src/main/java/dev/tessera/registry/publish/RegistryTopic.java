package dev.tessera.registry.publish;

import dev.tessera.support.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the registry topic exists and is compacted before anything is sent to it. A broker
 * with {@code auto.create.topics.enable} would otherwise create it on the first send with the
 * default (delete) cleanup policy, and old definitions would expire instead of being compacted:
 * a service started later would no longer learn every live GroupBy. A topic found with another
 * policy (created by hand, or by auto-creation before the registry first ran) is repaired; if the
 * broker refuses the repair (no ALTER_CONFIGS right), {@link #warning()} says so and health shows it.
 */
public final class RegistryTopic {
  private static final Logger log = LoggerFactory.getLogger(RegistryTopic.class);

  private final String topic;
  private final Supplier<Admin> admins;
  private final int partitions;
  private final short replicationFactor;
  private final Duration timeout;
  private volatile String warning;

  /**
   * @param admins a new admin client of the cluster at each call (closed after use)
   * @param replicationFactor 0 = the broker's default
   */
  public RegistryTopic(String topic, Supplier<Admin> admins, int partitions, short replicationFactor, Duration timeout) {
    this.topic = topic;
    this.admins = admins;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
    this.timeout = timeout;
  }

  public String name() {
    return topic;
  }

  /** Set when the topic is not compacted and could not be repaired. */
  public String warning() {
    return warning;
  }

  /** Creates the topic (compacted) when it is missing; checks its cleanup policy when it exists. */
  public void ensure() throws InterruptedException, ExecutionException, TimeoutException {
    long ms = timeout.toMillis();
    try (Admin admin = admins.get()) {
      if (!admin.listTopics().names().get(ms, TimeUnit.MILLISECONDS).contains(topic)) {
        NewTopic t = new NewTopic(topic, Optional.of(partitions),
            replicationFactor == 0 ? Optional.empty() : Optional.of(replicationFactor))
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
          admin.createTopics(List.of(t)).all().get(ms, TimeUnit.MILLISECONDS);
          log.info("Created the registry topic {} (compacted, {} partition(s))", topic, partitions);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) throw e;
        }
        // A producer racing the new partition's leader can fail its first send; wait until it serves.
        Topics.awaitReady(admin, topic, timeout);
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config config = admin.describeConfigs(List.of(resource)).all().get(ms, TimeUnit.MILLISECONDS).get(resource);
      var policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
      if (policy != null && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        repair(admin, resource, policy.value(), ms);
      } else {
        warning = null;
      }
    }
  }

  /**
   * Sets {@code cleanup.policy=compact}. Records already deleted by retention are gone, but every
   * live definition is re-sent on its next publish; from now on nothing more expires.
   */
  private void repair(Admin admin, ConfigResource resource, String was, long ms) throws InterruptedException, TimeoutException {
    AlterConfigOp compact = new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
        AlterConfigOp.OpType.SET);
    try {
      admin.incrementalAlterConfigs(Map.of(resource, List.of(compact))).all().get(ms, TimeUnit.MILLISECONDS);
      warning = null;
      log.warn("The registry topic {} had cleanup.policy={}; set it to compact, so that definitions no longer expire", topic, was);
    } catch (ExecutionException e) {
      warning = "topic " + topic + " has cleanup.policy=" + was + ", not compact, and the broker refused to change it ("
          + e.getCause().getMessage() + "): old definitions will expire and services started later will miss them";
      log.error("{}. Fix it with: kafka-configs --alter --entity-type topics --entity-name {} --add-config cleanup.policy=compact",
          warning, topic);
    }
  }
}
