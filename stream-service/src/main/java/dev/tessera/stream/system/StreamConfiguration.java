package dev.tessera.stream.system;

import dev.tessera.stream.jobs.JobIntents;
import dev.tessera.stream.jobs.JobLauncher;
import dev.tessera.stream.jobs.JobsHealthIndicator;
import dev.tessera.stream.jobs.KafkaTopics;
import dev.tessera.stream.jobs.StreamingJobs;
import dev.tessera.stream.sink.RedisTileWriterFactory;
import dev.tessera.support.Definitions;
import dev.tessera.support.LiveGroupBy;
import dev.tessera.support.RegistryFollower;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
  Definitions definitions(KafkaProperties kafka, StreamProperties props) {
    return Definitions.registry(new RegistryFollower(String.join(",", kafka.getBootstrapServers()), props.registryTopic()), null);
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
  StreamingJobs streamingJobs(Definitions definitions, JobIntents intents, JobLauncher launcher, KafkaTopics topics,
      StreamProperties props, Clock clock) {
    return new StreamingJobs(definitions, intents, launcher, topics, props, clock);
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
