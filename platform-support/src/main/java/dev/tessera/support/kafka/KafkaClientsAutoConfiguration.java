package dev.tessera.support.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.context.annotation.Bean;

/**
 * {@link KafkaClients} of a service from Spring Boot's Kafka configuration, as Boot's own Kafka
 * auto-configuration makes its client factories: {@code spring.kafka.*} settings (SASL through
 * {@code spring.kafka.properties.*}), then the connection details (bootstrap servers, security
 * protocol and {@code spring.kafka.ssl.bundle}, per client kind where {@code spring.kafka.consumer.*}
 * etc. say otherwise), and the service's {@link MeterRegistry} for the clients' metrics.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(KafkaConnectionDetails.class)
@ConditionalOnBean(KafkaConnectionDetails.class)
public class KafkaClientsAutoConfiguration {
  /** Kafka Streams hands its clients only the settings it knows, or those under these prefixes (StreamsConfig). */
  private static final String[] STREAMS_CLIENT_PREFIXES = {"consumer.", "producer.", "admin."};

  @Bean
  KafkaClients kafkaClients(KafkaProperties kafka, KafkaConnectionDetails connection, ObjectProvider<MeterRegistry> meters) {
    Map<String, Object> consumer = kafka.buildConsumerProperties();
    apply(consumer, connection.getConsumer(), false);
    Map<String, Object> producer = kafka.buildProducerProperties();
    apply(producer, connection.getProducer(), false);
    Map<String, Object> admin = kafka.buildAdminProperties();
    apply(admin, connection.getAdmin(), false);
    Map<String, Object> streams = kafka.buildStreamsProperties();
    apply(streams, connection.getStreams(), true);
    return new KafkaClients(consumer, producer, admin, streams, meters.getIfAvailable());
  }

  /**
   * What Boot's KafkaAutoConfiguration does for its factories (its methods for it are not public):
   * the connection wins over the properties, and an SSL bundle reaches Kafka as an engine factory
   * with the bundle beside it in the settings.
   */
  static void apply(Map<String, Object> settings, KafkaConnectionDetails.Configuration connection, boolean streams) {
    settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.getBootstrapServers());
    String protocol = connection.getSecurityProtocol();
    if (protocol != null && !protocol.isEmpty()) settings.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
    SslBundle bundle = connection.getSslBundle();
    if (bundle != null) {
      settings.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
      settings.put(SslBundle.class.getName(), bundle);
      if (streams) {
        for (String prefix : STREAMS_CLIENT_PREFIXES) settings.put(prefix + SslBundle.class.getName(), bundle);
      }
    }
  }
}
