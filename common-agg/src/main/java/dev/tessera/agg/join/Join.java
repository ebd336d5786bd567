package dev.tessera.agg.join;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's feature vector (DESIGN.md "Joins"): the rows of a {@code left} table get, for each
 * {@code part}, the features of a GroupBy as of the row's time for the entity its key mapping
 * names; {@code request} fields are carried through and {@code derivations} add CEL expressions
 * over all of them. One definition gives the training set and the online fetch the same columns
 * with the same values. Whether it is valid is decided by {@link JoinCompiler}; this record only
 * guarantees it is well-formed enough to inspect.
 */
public record Join(String name, String team, String description, boolean online, LeftSource left,
    List<JoinPart> parts, List<String> request, List<Derivation> derivations) {

  public Join {
    Objects.requireNonNull(name, "name");
    parts = List.copyOf(parts == null ? List.of() : parts);
    request = List.copyOf(request == null ? List.of() : request);
    derivations = List.copyOf(derivations == null ? List.of() : derivations);
  }

  /**
   * True when {@code other} gives the same columns with the same values: same left, parts, request
   * fields and derivations. Name, team, description and the online flag do not change the data, so
   * they do not make a new version (DESIGN.md "Joins", Versions).
   */
  public boolean sameComputation(Join other) {
    return other != null && Objects.equals(left, other.left) && parts.equals(other.parts)
        && request.equals(other.request) && derivations.equals(other.derivations);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Fluent construction for people who define Joins in code. */
  public static final class Builder {
    private final String name;
    private String team;
    private String description;
    private boolean online;
    private LeftSource left;
    private final List<JoinPart> parts = new ArrayList<>();
    private final List<String> request = new ArrayList<>();
    private final List<Derivation> derivations = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder team(String team) {
      this.team = team;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder online(boolean online) {
      this.online = online;
      return this;
    }

    public Builder left(LeftSource left) {
      this.left = left;
      return this;
    }

    public Builder part(JoinPart part) {
      parts.add(part);
      return this;
    }

    /** Shorthand: {@code part("fraud_features", Map.of("buyer", "user_id"), "buyer")}; a null prefix means none. */
    public Builder part(String groupBy, Map<String, String> keyMapping, String prefix) {
      return part(new JoinPart(groupBy, null, keyMapping, prefix));
    }

    public Builder request(String... fields) {
      request.addAll(Arrays.asList(fields));
      return this;
    }

    public Builder derive(String name, String expression) {
      derivations.add(new Derivation(name, expression));
      return this;
    }

    public Join build() {
      return new Join(name, team, description, online, left, parts, request, derivations);
    }
  }
}
