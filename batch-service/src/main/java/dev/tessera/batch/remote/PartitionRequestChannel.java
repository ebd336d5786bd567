package dev.tessera.batch.remote;

import dev.tessera.support.kafka.KafkaClients;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;

/**
 * The manager's request channel: Spring Batch's {@code MessageChannelPartitionHandler} sends each
 * partition's {@link StepExecutionRequest} here and this puts it on the requests topic, waiting for
 * the broker's acknowledgement (a request that did not reach Kafka fails the step at once instead
 * of leaving it waiting). A request goes to topic partition {@code stepExecutionId mod n} (n: the
 * topic's partitions): a job's partitions have consecutive ids, so they land on different topic
 * partitions, which the workers' round-robin assignment spreads over different workers.
 */
public final class PartitionRequestChannel implements MessageChannel, AutoCloseable {
  private static final long SEND_MILLIS = 30_000;

  private final Producer<String, byte[]> producer;
  private final String topic;

  public PartitionRequestChannel(KafkaClients kafka, String topic) {
    this.producer = kafka.producer(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new StringSerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  @Override
  public boolean send(Message<?> message, long timeout) {
    if (!(message.getPayload() instanceof StepExecutionRequest r)) {
      throw new MessageDeliveryException(message, "not a StepExecutionRequest: " + message.getPayload().getClass().getName());
    }
    try {
      int partition = (int) Math.floorMod(r.getStepExecutionId(), (long) producer.partitionsFor(topic).size());
      producer.send(new ProducerRecord<>(topic, partition, String.valueOf(r.getStepExecutionId()), PartitionRequests.encode(r)))
          .get(SEND_MILLIS, TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MessageDeliveryException(message, "interrupted while sending " + r + " to " + topic);
    } catch (ExecutionException | TimeoutException e) {
      throw new MessageDeliveryException(message, "could not send " + r + " to Kafka topic " + topic + ": " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
