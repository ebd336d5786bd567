package dev.tessera.batch.ingest;

/** A Kafka record's value to a row of the ingest table, or the reason it cannot be one. */
interface ValueParser {
  RecordParser.Parsed parse(byte[] value);
}
