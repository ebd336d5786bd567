package dev.tessera.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Every kind of client gets the whole of {@code spring.kafka.*}: SASL, the security protocol, the SSL bundle, the bootstrap servers. */
class KafkaClientsAutoConfigurationTest {
  private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";
  private static final SslBundle BUNDLE = SslBundle.of(null);

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, KafkaClientsAutoConfiguration.class))
      .withBean(SslBundles.class, () -> new DefaultSslBundleRegistry("kafka", BUNDLE))
      .withPropertyValues(
          "spring.kafka.bootstrap-servers=broker-1:9093,broker-2:9093",
          "spring.kafka.security.protocol=SASL_SSL",
          "spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
          "spring.kafka.properties.sasl.jaas.config=" + JAAS,
          "spring.kafka.ssl.bundle=kafka");

  @Test
  void everyKindOfClientGetsTheConnectionSaslAndTheSslBundle() {
    runner.run(context -> {
      KafkaClients clients = context.getBean(KafkaClients.class);
      for (Map<String, Object> settings : List.of(clients.consumerProperties(Map.of()), clients.producerProperties(Map.of()),
          clients.adminProperties(Map.of()), clients.streamsProperties())) {
        assertThat(settings)
            .containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, List.of("broker-1:9093", "broker-2:9093"))
            .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
            .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
            .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, JAAS)
            .containsEntry(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class)
            .containsEntry(SslBundle.class.getName(), BUNDLE);
      }
    });
  }

  @Test
  void aClientKindsOwnSettingsWinOverTheSharedOnes() {
    runner.withPropertyValues("spring.kafka.consumer.bootstrap-servers=consumers:9093", "spring.kafka.producer.security.protocol=SSL")
        .run(context -> {
          KafkaClients clients = context.getBean(KafkaClients.class);
          assertThat(clients.consumerProperties(Map.of())).containsEntry(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, List.of("consumers:9093"));
          assertThat(clients.producerProperties(Map.of())).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
          assertThat(clients.adminProperties(Map.of())).containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        });
  }

  /** Kafka Streams passes its clients only the settings it knows: the bundle must reach them under their prefixes. */
  @Test
  void kafkaStreamsHandsTheSslBundleOnToItsOwnClients() {
    runner.run(context -> {
      Map<String, Object> streams = context.getBean(KafkaClients.class).streamsProperties();
      streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "job");
      StreamsConfig config = new StreamsConfig(streams);
      for (Map<String, Object> client : List.of(config.getMainConsumerConfigs("job", "job-1", 0), config.getRestoreConsumerConfigs("job-1"),
          config.getGlobalConsumerConfigs("job-1"), config.getProducerConfigs("job-1"), config.getAdminConfigs("job-1"))) {
        assertThat(client).containsEntry(SslBundle.class.getName(), BUNDLE)
            .containsEntry(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class)
            .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, JAAS);
      }
    });
  }
}
