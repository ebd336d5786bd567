package dev.tessera.registry.definition;

/**
 * A definition whose record for the registry topic would exceed what Kafka takes: refused at
 * publish time (400), because once committed it could never reach the services. The size is that
 * of the canonical JSON, which can be far larger than the submitted text (escapes, defaults).
 */
public class DefinitionTooLargeException extends BadRequestException {
  private final Kind kind;
  private final String name;
  private final long bytes;
  private final long limitBytes;

  public DefinitionTooLargeException(Kind kind, String name, long bytes, long limitBytes) {
    super("The published record of " + kind.label() + " '" + name + "' would be " + bytes + " bytes; the registry topic takes at most "
        + limitBytes + " bytes per record (tessera.registry.publication.max-record-bytes, bounded by the producer's max.request.size)."
        + " Shorten the description or split the definition.");
    this.kind = kind;
    this.name = name;
    this.bytes = bytes;
    this.limitBytes = limitBytes;
  }

  public Kind kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public long bytes() {
    return bytes;
  }

  public long limitBytes() {
    return limitBytes;
  }
}
