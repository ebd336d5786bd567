package dev.tessera.registry.definition;

/**
 * What the registry needs to know about one kind of definition to store, version and publish it:
 * how it is read and compiled, stored, compared and announced on the registry topic. The rules
 * themselves (versions, history, outbox, locking) are the same for every kind
 * ({@link DefinitionRegistry}).
 *
 * @param <D> the definition (common-agg's GroupBy, Join)
 * @param <C> what it compiles to
 */
public interface DefinitionType<D, C> {
  Kind kind();

  /** The tables: {@code <table>} (one row per name), {@code <table>_version}, {@code <table>_event}. */
  String table();

  /** Reads and compiles a document, reporting every problem with its path and line. Reads no state that a write locks. */
  Validation<D, C> validate(DefinitionDocument doc);

  /**
   * Inside the write transaction, once the name's row is locked: validates again against what the
   * transaction sees, locking what the definition depends on (a Join locks its GroupBys, so that
   * none is retired under it). The default trusts the first validation.
   */
  default Validation<D, C> revalidate(Validation<D, C> v) {
    return v;
  }

  /** Inside the write transaction, after a new version was stored. */
  default void versionStored(StoredVersion<D> v, C compiled) {}

  /** Whether two valid definitions give the same data; a publish that changes the computation makes a new version. */
  boolean sameComputation(D a, D b);

  /** What the list shows of a definition besides its outputs. */
  record Metadata(String name, String team, String description, boolean online) {}

  Metadata metadata(D definition);

  /** How many outputs the list shows. */
  int featureCount(C compiled);

  /** The canonical JSON a version is stored as. */
  String toStorageJson(D definition);

  /** @throws IllegalStateException when stored JSON no longer reads (corruption, not user error) */
  D fromStorageJson(String json, String name, int version);

  /** The key of its records on the registry topic. */
  String topicKey(String name);

  /** The value of its record on the registry topic. */
  String publishedJson(StoredVersion<D> version);
}
