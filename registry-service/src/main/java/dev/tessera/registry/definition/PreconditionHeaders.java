package dev.tessera.registry.definition;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads optimistic-locking input from a request: {@code If-Match: "3.7"} (an ETag of a GET: version
 * 3, revision 7) or {@code If-Match: *}, {@code If-None-Match: *} (create only), and the
 * {@code expectedVersion} parameter.
 */
public final class PreconditionHeaders {
  private static final Pattern ETAG = Pattern.compile("(?:W/)?\"(\\d{1,9})\\.(\\d{1,18})\"");

  private PreconditionHeaders() {}

  /** @throws IllegalArgumentException naming the bad header */
  public static Precondition parse(Integer expectedVersion, String ifMatch, String ifNoneMatch) {
    Integer version = expectedVersion;
    Long revision = null;
    boolean mustExist = false;
    if (ifNoneMatch != null && !ifNoneMatch.isBlank()) {
      if (!ifNoneMatch.trim().equals("*")) {
        throw new BadRequestException("If-None-Match supports only '*' (create only), got '" + ifNoneMatch + "'");
      }
      if (version != null && version != 0) {
        throw new BadRequestException("If-None-Match: * (create only) contradicts expectedVersion=" + version);
      }
      version = 0;
    }
    if (ifMatch != null && !ifMatch.isBlank()) {
      String v = ifMatch.trim();
      if (v.equals("*")) {
        mustExist = true;
      } else {
        Matcher m = ETAG.matcher(v);
        if (!m.matches()) {
          throw new BadRequestException("If-Match must be an ETag from a GET of this definition, such as \"3.7\", or *; got '" + ifMatch + "'");
        }
        int etagVersion = Integer.parseInt(m.group(1));
        if (version != null && version != etagVersion) {
          throw new BadRequestException("If-Match names version " + etagVersion + " but expectedVersion is " + version);
        }
        version = etagVersion;
        revision = Long.parseLong(m.group(2));
      }
    }
    if (version != null && version < 0) throw new BadRequestException("expectedVersion must be >= 0, got " + version);
    return new Precondition(version, revision, mustExist);
  }

  public static String etag(DefinitionSummary s) {
    return "\"" + s.etag() + "\"";
  }
}
