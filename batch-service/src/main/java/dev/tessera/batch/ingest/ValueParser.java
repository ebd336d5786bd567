package dev.tessera.batch.ingest;

/** A Kafka record's value to a row of the ingest table, or the reason it cannot be one. */
interface ValueParser {
  /** @param recordTime the record's Kafka timestamp (0 or less: unset) */
  RecordParser.Parsed parse(byte[] value, long recordTime);
}
