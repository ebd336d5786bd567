package dev.tessera.registry.rollout;

/** How far a GroupBy version got on its way to being served (DESIGN.md "Version rollout"). */
public enum RolloutState {
  /** Published after the live version; nothing run yet. */
  PUBLISHED,
  /** Its batch data is being uploaded (the last complete day). */
  UPLOADING,
  /** Its streaming job is reading its topics up to the upload's batch end. */
  CATCHING_UP,
  /** Served: the registry topic announces it under the bare name. */
  LIVE,
  /** A step failed; the previous version is still served. Starting the rollout again resumes it. */
  FAILED,
  /** A newer version was published before this one went live. */
  SUPERSEDED,
  /** The GroupBy was retired before this version went live. */
  RETIRED;

  /** Whether the version is still on its way (a rollout may run or resume). */
  public boolean isPending() {
    return this == PUBLISHED || this == UPLOADING || this == CATCHING_UP || this == FAILED;
  }
}
