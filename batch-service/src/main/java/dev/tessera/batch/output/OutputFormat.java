package dev.tessera.batch.output;

import dev.tessera.batch.jobs.InvalidRequestException;
import java.util.Locale;

/** How a job's output table is downloaded: CSV with a header row, or one JSON object a line. */
public enum OutputFormat {
  CSV("text/csv"),
  JSONL("application/x-ndjson");

  private final String mediaType;

  OutputFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  public static OutputFormat parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("format", "must be csv or jsonl, was '" + name + "'");
    }
  }
}
