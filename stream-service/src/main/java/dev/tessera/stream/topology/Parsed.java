package dev.tessera.stream.topology;

import dev.tessera.stream.deadletter.DeadLetter;

/**
 * What the source side made of one record: an event to route to its entity, an event whose record
 * key was not its entity's (with {@code partitioning=source}: it takes the internal topic to its
 * entity's task), or a dead letter.
 */
sealed interface Parsed {
  record Event(RoutedEvent event) implements Parsed {}

  record Misrouted(RoutedEvent event) implements Parsed {}

  record Dead(DeadLetter letter) implements Parsed {}
}
