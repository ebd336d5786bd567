package dev.tessera.registry.definition;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tessera.registry.publish.PublicationState;
import java.util.List;

/**
 * The outcome of registering several definitions at once: either every one is valid and all were
 * published (or, in a dry run, would be) together, or none was and {@code items} say why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchResult(boolean dryRun, boolean valid, boolean published, List<Item> items, PublicationState publication) {
  public BatchResult {
    items = List.copyOf(items);
  }

  /**
   * One definition of the batch: where it came from ({@code source}: a file name, or its index),
   * its problems, or what publishing it does.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Item(int index, String source, String name, boolean valid, Change change, Integer version,
      Integer previousVersion, List<LocatedProblem> problems) {
    public Item {
      problems = List.copyOf(problems);
    }
  }

  public long invalidCount() {
    return items.stream().filter(i -> !i.valid()).count();
  }
}
