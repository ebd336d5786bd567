package dev.tessera.fetcher.fetch;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems of one request, collected so that a client can fix all of them at once: up to
 * {@value #MAX_PROBLEMS} are kept (enough to fix a systematic mistake, short enough to read), the
 * rest only counted.
 */
public final class RequestProblems {
  static final int MAX_PROBLEMS = 20;

  private final List<InvalidRequestException.Problem> list = new ArrayList<>();
  private int count;

  public void add(String path, String message) {
    count++;
    if (list.size() < MAX_PROBLEMS) list.add(new InvalidRequestException.Problem(path, message));
  }

  /** Problems found so far. */
  public int count() {
    return count;
  }

  /** @throws InvalidRequestException (400, {@code invalid-key}) when any problem was found */
  public void throwIfAny(String groupBy) {
    if (count > 0) throw InvalidRequestException.invalidKeys(list, count, groupBy);
  }

  /** @throws InvalidRequestException (400, {@code invalid-row}) when any problem was found in the rows of a Join fetch */
  public void throwIfAnyInRows() {
    if (count > 0) throw InvalidRequestException.invalidRows(list, count);
  }
}
