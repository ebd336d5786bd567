package dev.tessera.batch.remote;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Remote partitioning ({@code tessera.batch.remote.*}, README "Remote partitioning"). A bad value
 * fails the start with the property's name in the message.
 *
 * @param role {@code standalone} (default: partitions run on threads of this process), {@code manager}
 *     (partitions go to worker processes over Kafka) or {@code worker} (takes partitions from managers)
 * @param topic the Kafka topic of partition requests
 * @param topicPartitions its partitions when a process creates it: at most this many workers share the work
 * @param group the workers' consumer group: a request is taken by one member, and its membership tells who is alive
 * @param workerId this worker's name, recorded with every partition it runs (default host-pid); unique per process
 * @param concurrency partitions a worker runs at once (0 = cores)
 * @param timeout how long a manager waits for a partitioned step's partitions before failing the job
 * @param noWorkerTimeout how long a manager waits while no worker is alive before failing the job
 * @param pollInterval how often a manager reads the partitions' states, and a worker re-checks a partition another worker holds
 * @param sessionTimeout the worker consumer's session timeout: how soon a killed worker's partitions move to the others
 */
@ConfigurationProperties("tessera.batch.remote")
public record RemoteProperties(String role, String topic, Integer topicPartitions, String group, String workerId, Integer concurrency,
    Duration timeout, Duration noWorkerTimeout, Duration pollInterval, Duration sessionTimeout) {

  public RemoteProperties {
    role = role == null ? "standalone" : role.toLowerCase(Locale.ROOT);
    if (!role.equals("standalone") && !role.equals("manager") && !role.equals("worker")) {
      throw new IllegalArgumentException("tessera.batch.remote.role must be standalone, manager or worker, was " + role);
    }
    topic = topic == null ? "tessera.batch.partitions" : topic;
    topicPartitions = topicPartitions == null ? 12 : topicPartitions;
    require(topicPartitions >= 1, "tessera.batch.remote.topic-partitions", "must be at least 1", topicPartitions);
    group = group == null ? "tessera-batch-workers" : group;
    workerId = workerId == null ? defaultWorkerId() : workerId;
    concurrency = concurrency == null ? 0 : concurrency;
    require(concurrency >= 0, "tessera.batch.remote.concurrency", "must be 0 (= cores) or more", concurrency);
    timeout = positive(timeout, Duration.ofHours(24), "tessera.batch.remote.timeout");
    noWorkerTimeout = positive(noWorkerTimeout, Duration.ofMinutes(2), "tessera.batch.remote.no-worker-timeout");
    pollInterval = positive(pollInterval, Duration.ofSeconds(1), "tessera.batch.remote.poll-interval");
    sessionTimeout = positive(sessionTimeout, Duration.ofSeconds(10), "tessera.batch.remote.session-timeout");
  }

  public boolean manager() {
    return role.equals("manager");
  }

  public boolean worker() {
    return role.equals("worker");
  }

  public int effectiveConcurrency() {
    return concurrency > 0 ? concurrency : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  private static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }

  private static Duration positive(Duration d, Duration fallback, String property) {
    Duration v = d == null ? fallback : d;
    if (v.isNegative() || v.isZero()) throw new IllegalArgumentException(property + " must be positive, was " + v);
    return v;
  }

  private static void require(boolean ok, String property, String rule, Object value) {
    if (!ok) throw new IllegalArgumentException(property + " " + rule + ", was " + value);
  }
}
