package dev.tessera.support.security;

import java.util.Set;

/**
 * Who made a request, as the registry knows them: an account (HTTP Basic) or an API token's name,
 * and its roles ({@code READER}, {@code WRITER}, {@code ADMIN}).
 */
public record Caller(String name, Set<String> roles) {
  public Caller {
    roles = Set.copyOf(roles);
  }

  /** Writes (start or stop a job, create or delete a streaming job) need WRITER or ADMIN, as in the registry. */
  public boolean mayWrite() {
    return roles.contains("WRITER") || roles.contains("ADMIN");
  }
}
