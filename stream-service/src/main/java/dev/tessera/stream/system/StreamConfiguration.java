package dev.tessera.stream.system;

import dev.tessera.stream.jobs.JobIntents;
import dev.tessera.stream.jobs.JobLauncher;
import dev.tessera.stream.jobs.JobsHealthIndicator;
import dev.tessera.stream.jobs.KafkaTopics;
import dev.tessera.stream.jobs.LiveDefinitions;
import dev.tessera.stream.jobs.StreamingJobs;
import dev.tessera.stream.sink.RedisTileWriterFactory;
import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the service: the registry follower, the job records, the Redis tile writers and the job manager. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StreamProperties.class)
class StreamConfiguration {
  /** How long an admin call or a job record write may take. */
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean(destroyMethod = "close")
  RegistryFollower registryFollower(KafkaProperties kafka, StreamProperties props) {
    return new RegistryFollower(String.join(",", kafka.getBootstrapServers()), props.registryTopic());
  }

  @Bean(destroyMethod = "close")
  KafkaTopics kafkaTopics(KafkaProperties kafka, Clock clock) {
    return new KafkaTopics(kafka.buildAdminProperties(), KAFKA_TIMEOUT, clock);
  }

  @Bean(destroyMethod = "close")
  JobIntents jobIntents(KafkaProperties kafka, StreamProperties props, KafkaTopics topics, Clock clock) {
    return new JobIntents(props.jobsTopic(), kafka.buildProducerProperties(), kafka.buildConsumerProperties(), topics, clock,
        KAFKA_TIMEOUT);
  }

  @Bean(destroyMethod = "close")
  RedisTileWriterFactory tileWriters(DataRedisProperties redis, StreamProperties props) {
    return new RedisTileWriterFactory(redisUri(redis), props.redisTimeout());
  }

  @Bean
  JobLauncher jobLauncher(KafkaProperties kafka, StreamProperties props, RedisTileWriterFactory writers, KafkaTopics topics,
      MeterRegistry registry, Clock clock) {
    Map<String, Object> client = new HashMap<>(kafka.buildStreamsProperties());
    client.remove("application.id");
    return new JobLauncher(client, props, writers, topics, registry, clock);
  }

  @Bean(destroyMethod = "close")
  StreamingJobs streamingJobs(RegistryFollower follower, JobIntents intents, JobLauncher launcher, KafkaTopics topics,
      StreamProperties props, Clock clock) {
    return new StreamingJobs(definitions(follower), intents, launcher, topics, props, clock);
  }

  /** Starts following the topics once the context is up; nothing here connects at startup itself. */
  @Bean
  JobsHealthIndicator streamingJobsHealthIndicator(StreamingJobs jobs) {
    return new JobsHealthIndicator(jobs);
  }

  @Bean
  SmartLifecycle streamingStarter(RegistryFollower follower, JobIntents intents, StreamingJobs jobs) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        follower.addListener((name, live) -> jobs.changed(name));
        jobs.start();
        intents.start();
        follower.start();
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
    };
  }

  static LiveDefinitions definitions(RegistryFollower follower) {
    return new LiveDefinitions() {
      @Override
      public Optional<LiveGroupBy> get(String name) {
        return follower.get(name);
      }

      @Override
      public Set<String> names() {
        return follower.all().keySet();
      }

      @Override
      public boolean isCaughtUp() {
        return follower.isCaughtUp();
      }
    };
  }

  /** The tile writers' Redis: the same server as {@code spring.data.redis.*} (standalone). */
  static RedisURI redisUri(DataRedisProperties redis) {
    if (redis.getUrl() != null) return RedisURI.create(redis.getUrl());
    RedisURI.Builder b = RedisURI.builder().withHost(redis.getHost()).withPort(redis.getPort())
        .withDatabase(redis.getDatabase()).withSsl(redis.getSsl().isEnabled());
    if (redis.getPassword() != null) {
      if (redis.getUsername() != null) b.withAuthentication(redis.getUsername(), (CharSequence) redis.getPassword());
      else b.withPassword((CharSequence) redis.getPassword());
    }
    if (redis.getTimeout() != null) b.withTimeout(redis.getTimeout());
    return b.build();
  }

}
