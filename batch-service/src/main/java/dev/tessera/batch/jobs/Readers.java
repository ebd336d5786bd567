package dev.tessera.batch.jobs;

import dev.tessera.batch.read.Entity;
import dev.tessera.batch.read.EntityReader;
import dev.tessera.batch.read.ReaderState;

/** Adapts the event readers to {@link PartitionTask.Reader}. */
public final class Readers {
  private Readers() {}

  /** Every entity with events, in key order. */
  public static PartitionTask.Reader events(EntityReader reader) {
    return new PartitionTask.Reader() {
      @Override
      public Entity next() {
        return reader.next();
      }

      @Override
      public ReaderState state() {
        return new ReaderState(reader.states(), null);
      }

      @Override
      public void close() {
        reader.close();
      }
    };
  }
}
