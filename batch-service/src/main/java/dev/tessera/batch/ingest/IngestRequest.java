package dev.tessera.batch.ingest;

import java.util.Map;

/**
 * {@code POST /api/v1/jobs/ingest}: lands the JSON events of a Kafka topic in a warehouse table,
 * exactly once (offsets are stored in the warehouse with the rows).
 *
 * <p>Either {@code groupBy} (its source reading {@code topic} gives the schema, time column and,
 * when {@code table} is omitted, the table: the batch side then sees exactly the events the stream
 * side saw), or {@code schema} + {@code timeColumn} and {@code table}.
 *
 * <p>{@code format} {@code feature-log} or {@code dead-letter} lands Tessera's own logs in fixed
 * columns for the consistency job (no schema; {@code table} defaults to {@code tessera_feature_log}
 * or {@code tessera_deadletter}); {@code events}, the default, is everything above.
 *
 * @param mode {@code bounded} (default: up to the end of the topic when the job starts) or
 *     {@code continuous} (until stopped with {@code POST /api/v1/jobs/{id}/stop})
 */
public record IngestRequest(String topic, String table, String groupBy, Map<String, String> schema, String timeColumn, String mode, String format) {}
