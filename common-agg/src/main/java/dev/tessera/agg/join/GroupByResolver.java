package dev.tessera.agg.join;

import dev.tessera.agg.compile.CompiledGroupBy;

/**
 * How a Join finds the GroupBys its parts name: the registry (by what it stores), a service (by the
 * definitions it follows), a test (by a map). A retired GroupBy is {@link Missing}.
 */
@FunctionalInterface
public interface GroupByResolver {

  /** The GroupBy {@code name} at {@code version}, or the live version when {@code version} is null. */
  Resolution resolve(String name, Integer version);

  sealed interface Resolution permits Found, Missing {}

  /** The GroupBy version a part uses, compiled. */
  record Found(int version, CompiledGroupBy compiled) implements Resolution {}

  /** Why the part cannot use it: "unknown GroupBy 'x'", "GroupBy 'x' has no version 3", "GroupBy 'x' is retired". */
  record Missing(String reason) implements Resolution {}
}
