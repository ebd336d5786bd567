package dev.tessera.stream.topology;

import dev.tessera.stream.deadletter.DeadLetter;

/** What the source side made of one record: an event to route to its entity, or a dead letter. */
sealed interface Parsed {
  record Event(RoutedEvent event) implements Parsed {}

  record Dead(DeadLetter letter) implements Parsed {}
}
