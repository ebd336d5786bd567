package dev.tessera.batch.jobs;

import java.util.List;
import java.util.stream.Collectors;

/** A job request that cannot run as given; every problem names its field (answered with 400). */
public class InvalidRequestException extends RuntimeException {
  private final List<FieldProblem> problems;

  public InvalidRequestException(List<FieldProblem> problems) {
    super(problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public InvalidRequestException(String field, String message) {
    this(List.of(new FieldProblem(field, message)));
  }

  public List<FieldProblem> problems() {
    return problems;
  }
}
