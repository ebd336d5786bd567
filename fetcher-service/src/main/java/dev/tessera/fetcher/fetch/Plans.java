package dev.tessera.fetcher.fetch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The plan of each name's current definition, for the GroupBy fetch and the Join fetch alike: built
 * once, and again when the definitions answer with another definition (a new version, a Join
 * recompiled against new part versions). Definitions answer the same instance while nothing changed,
 * so the check is one identity comparison.
 *
 * @param <D> the definition (a live GroupBy, a resolved Join)
 * @param <P> its plan
 */
public final class Plans<D, P> {
  private final Function<String, D> definitions;
  private final Function<D, P> build;
  private final Function<P, D> builtFrom;
  private final Map<String, P> plans = new ConcurrentHashMap<>();

  /**
   * @param definitions the current definition of a name (throws when there is none)
   * @param build the plan of a definition
   * @param builtFrom the definition a plan was built from
   */
  public Plans(Function<String, D> definitions, Function<D, P> build, Function<P, D> builtFrom) {
    this.definitions = definitions;
    this.build = build;
    this.builtFrom = builtFrom;
  }

  public P require(String name) {
    D current = definitions.apply(name);
    P plan = plans.get(name);
    if (plan == null || builtFrom.apply(plan) != current) {
      plan = build.apply(current);
      plans.put(name, plan);
    }
    return plan;
  }
}
