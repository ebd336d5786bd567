package dev.tessera.stream.system;

import dev.tessera.stream.jobs.JobIntents;
import dev.tessera.stream.jobs.JobLauncher;
import dev.tessera.stream.jobs.JobsHealthIndicator;
import dev.tessera.stream.jobs.KafkaTopics;
import dev.tessera.stream.jobs.ServiceStop;
import dev.tessera.stream.jobs.StreamingJobs;
import dev.tessera.stream.metrics.JobMetrics;
import dev.tessera.stream.sink.RedisTileWriterFactory;
import dev.tessera.support.Definitions;
import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import dev.tessera.support.kafka.KafkaClients;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

/** Wires the service: the definitions (the registry topic), the job records, the Redis tile writers and the job manager. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamProperties.class)
class StreamConfiguration {
  /** How long an admin call or a job record write may take. */
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** The live GroupBys, from the registry topic alone: a job runs what the topic says is live. */
  @Bean(destroyMethod = "close")
  Definitions definitions(KafkaClients kafka, StreamProperties props) {
    return Definitions.registry(new RegistryFollower(ownClients(kafka), props.registryTopic()), null);
  }

  @Bean(destroyMethod = "close")
  KafkaTopics kafkaTopics(KafkaClients kafka, Clock clock) {
    return new KafkaTopics(ownClients(kafka).admin(Map.of()), KAFKA_TIMEOUT, clock);
  }

  @Bean
  ServiceStop serviceStop() {
    return new ServiceStop();
  }

  @Bean(destroyMethod = "close")
  JobIntents jobIntents(KafkaClients kafka, StreamProperties props, KafkaTopics topics, Clock clock, ServiceStop stop) {
    return new JobIntents(props.jobsTopic(), ownClients(kafka), topics, clock, KAFKA_TIMEOUT, stop);
  }

  /** The service's own clients: their kafka_* meters carry a job's tag keys, empty (see JobMetrics.NO_JOB). */
  private static KafkaClients ownClients(KafkaClients kafka) {
    return kafka.withTags(JobMetrics.NO_JOB);
  }

  @Bean(destroyMethod = "close")
  RedisTileWriterFactory tileWriters(DataRedisConnectionDetails redis, StreamProperties props) {
    return new RedisTileWriterFactory(redisUris(redis), redis.getCluster() != null, sslOptions(redis.getSslBundle()), props.redisTimeout(),
        props.tilesHashTables());
  }

  @Bean
  JobLauncher jobLauncher(KafkaClients kafka, StreamProperties props, RedisTileWriterFactory writers, KafkaTopics topics,
      MeterRegistry registry, Clock clock) {
    Map<String, Object> client = kafka.streamsProperties();
    client.remove("application.id");
    return new JobLauncher(client, props, writers, topics, registry, clock);
  }

  @Bean(destroyMethod = "close")
  StreamingJobs streamingJobs(Definitions definitions, JobIntents intents, JobLauncher launcher, KafkaTopics topics,
      StreamProperties props, Clock clock, ServiceStop stop) {
    return new StreamingJobs(definitions, intents, launcher, topics, props, clock, stop);
  }

  /**
   * The stop begins (SIGTERM): the context publishes this before any lifecycle phase, so the jobs
   * close while the web server drains instead of after it, and requests waiting for Kafka are let go
   * (README "Stopping").
   */
  @Bean
  ApplicationListener<ContextClosedEvent> streamingJobsStop(StreamingJobs jobs, ApplicationContext context) {
    return event -> {
      // a child context (a management server on a port of its own) closing is not the service stopping
      if (event.getApplicationContext() == context) jobs.beginShutdown();
    };
  }

  /** Starts following the topics once the context is up; nothing here connects at startup itself. */
  @Bean
  JobsHealthIndicator streamingJobsHealthIndicator(StreamingJobs jobs) {
    return new JobsHealthIndicator(jobs);
  }

  @Bean
  SmartLifecycle streamingStarter(Definitions definitions, JobIntents intents, StreamingJobs jobs) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        definitions.addListener(new Definitions.Listener() {
          @Override
          public void groupByChanged(String name, LiveGroupBy live) {
            jobs.changed(name);
          }
        });
        jobs.start();
        intents.start();
        definitions.start();
        running = true;
      }

      @Override
      public void stop() {
        running = false;
        jobs.close();
      }

      @Override
      public boolean isRunning() {
        return running;
      }

      /**
       * Stopped after the web server has drained (its graceful shutdown is a higher phase, stopped
       * first): a request in flight at SIGTERM still finds the jobs it asks about instead of a
       * closed job manager (README "Stopping"); the jobs themselves began to close when the stop
       * began (streamingJobsStop). Started just after the web server, which answers 503 not-ready
       * until then, as while the registry topic is being read.
       */
      @Override
      public int getPhase() {
        return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE - 512;
      }
    };
  }

  /**
   * The tile writers' Redis, as {@code spring.data.redis.*} says (the same as the health check's): the
   * standalone server, or the cluster's seed nodes ({@code spring.data.redis.cluster.nodes}).
   */
  static List<RedisURI> redisUris(DataRedisConnectionDetails redis) {
    if (redis.getSentinel() != null || redis.getMasterReplica() != null) {
      throw new IllegalStateException("spring.data.redis.sentinel / master-replica: the tile writers write to a standalone Redis "
          + "or a Redis Cluster (spring.data.redis.cluster.nodes)");
    }
    List<RedisURI> uris = new ArrayList<>();
    if (redis.getCluster() != null) {
      for (DataRedisConnectionDetails.Node n : redis.getCluster().getNodes()) uris.add(uri(redis, n.host(), n.port(), 0));
    } else {
      DataRedisConnectionDetails.Standalone s = redis.getStandalone();
      uris.add(uri(redis, s.getHost(), s.getPort(), s.getDatabase()));
    }
    return uris;
  }

  private static RedisURI uri(DataRedisConnectionDetails redis, String host, int port, int database) {
    RedisURI.Builder b = RedisURI.builder().withHost(host).withPort(port).withDatabase(database).withSsl(redis.getSslBundle() != null);
    if (redis.getPassword() != null) {
      if (redis.getUsername() != null) b.withAuthentication(redis.getUsername(), (CharSequence) redis.getPassword());
      else b.withPassword((CharSequence) redis.getPassword());
    }
    return b.build();
  }

  /** Lettuce's TLS settings from the SSL bundle ({@code spring.data.redis.ssl.bundle}), as Spring Boot's own Lettuce client uses them. */
  static SslOptions sslOptions(SslBundle bundle) {
    if (bundle == null) return null;
    SslOptions.Builder b = SslOptions.builder().jdkSslProvider()
        .keyManager(bundle.getManagers().getKeyManagerFactory())
        .trustManager(bundle.getManagers().getTrustManagerFactory());
    if (bundle.getOptions().getCiphers() != null) b.cipherSuites(bundle.getOptions().getCiphers());
    if (bundle.getOptions().getEnabledProtocols() != null) b.protocols(bundle.getOptions().getEnabledProtocols());
    return b.build();
  }
}
