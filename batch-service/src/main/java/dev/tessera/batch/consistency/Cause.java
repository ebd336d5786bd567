package dev.tessera.batch.consistency;

/** Why a served value differs from the recomputed one, as far as the logs can tell. */
public enum Cause {
  /** An event inside the feature's window as of t reached the stream too late and was dead-lettered (it is in the warehouse). */
  LATE_EVENT,
  /** The fetcher said the batch IR was stale ({@code meta.stale}): its windows could cover up to a day more. */
  STALE_BATCH,
  /** The logged GroupBy version is not the one the values were recomputed with. */
  VERSION_MISMATCH,
  /** None of the above: a real skew between the pipelines. Must be 0. */
  UNEXPLAINED
}
