package dev.tessera.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/** Options every partitioned job takes (backfill, training-set, upload, consistency). */
final class ComputeOptions {
  @Option(names = "--partitions", paramLabel = "N", description = "key-hash partitions (default: the service's tessera.batch.partitions)")
  Integer partitions;

  @Option(names = "--max-rejected-rows", paramLabel = "N", description = "fail when more rows are rejected (-1: no limit)")
  Long maxRejectedRows;

  @Option(names = "--max-rejected-fraction", paramLabel = "F", description = "fail when a larger fraction of the rows read is rejected (0..1)")
  Double maxRejectedFraction;

  void validate(CommandSpec spec) {
    Args.positive(spec, "--partitions", partitions);
    if (maxRejectedRows != null && maxRejectedRows < -1) {
      throw Args.usage(spec, "--max-rejected-rows must be -1 (no limit) or more, was " + maxRejectedRows);
    }
    Args.fraction(spec, "--max-rejected-fraction", maxRejectedFraction);
  }

  void addTo(ObjectNode body) {
    if (partitions != null) body.put("partitions", partitions);
    if (maxRejectedRows != null) body.put("maxRejectedRows", maxRejectedRows);
    if (maxRejectedFraction != null) body.put("maxRejectedFraction", maxRejectedFraction);
  }
}
