package dev.tessera.agg.expr;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import dev.tessera.agg.accept.Refusal;
import dev.tessera.agg.definition.EventSource;
import dev.tessera.agg.row.Row;
import dev.tessera.agg.row.RowSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A source's schema, wheres, selects and time column, compiled once and applied to every raw event
 * by both pipelines: the batch side with rows read through JDBC, the stream side with JSON events.
 * Thread-safe.
 */
public final class CompiledSource {
  private final RowSchema input;
  private final RowSchema output;
  private final List<CompiledExpression> wheres;
  private final List<CompiledExpression> selects;
  private final CompiledExpression time;
  private final EventSource definition;

  CompiledSource(EventSource definition, RowSchema input, RowSchema output, List<CompiledExpression> wheres,
      List<CompiledExpression> selects, CompiledExpression time) {
    this.definition = definition;
    this.input = input;
    this.output = output;
    this.wheres = List.copyOf(wheres);
    this.selects = List.copyOf(selects);
    this.time = time;
  }

  /** The source as defined: its warehouse table and Kafka topic. */
  public EventSource definition() {
    return definition;
  }

  /** The source schema: what raw events carry. */
  public RowSchema inputSchema() {
    return input;
  }

  /** The selected columns: what rows carry. */
  public RowSchema outputSchema() {
    return output;
  }

  /** The same source producing its columns in {@code target}'s order (same names and types). */
  public CompiledSource reorderedTo(RowSchema target) {
    if (!target.asMap().equals(output.asMap())) {
      throw new IllegalArgumentException("column sets differ: " + output + " vs " + target);
    }
    List<CompiledExpression> reordered = target.names().stream().map(n -> selects.get(output.indexOf(n))).toList();
    return new CompiledSource(definition, input, target, wheres, reordered, time);
  }

  /**
   * CEL's message ends with its cause's message, which the JVM may leave out: a hot division by zero
   * throws an ArithmeticException without one. Then the cause's type says what went wrong.
   */
  private static String describe(CelEvaluationException e) {
    String message = String.valueOf(e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof dev.cel.common.exceptions.CelIterationLimitExceededException) {
        return "cost limit: more than " + CelEnvironment.MAX_ITERATIONS + " comprehension iterations for one event";
      }
    }
    Throwable cause = e.getCause();
    if (cause != null && (cause.getMessage() == null || cause.getMessage().isBlank())) {
      return message.strip() + " " + cause.getClass().getSimpleName();
    }
    return message;
  }

  /** Applies the source to an event given as column name -> raw value (e.g. parsed JSON). */
  public SourceResult apply(Map<String, ?> event) {
    Object[] raw = new Object[input.size()];
    for (int i = 0; i < raw.length; i++) raw[i] = event.get(input.name(i));
    return apply(raw);
  }

  /**
   * Applies the source to raw values in the order of {@link #inputSchema()}. The array may be
   * modified (values are coerced in place).
   */
  public SourceResult apply(Object[] raw) {
    for (int i = 0; i < raw.length; i++) {
      try {
        raw[i] = Coercion.coerce(raw[i], input.type(i));
      } catch (Coercion.BadValue e) {
        return new SourceResult.Rejected("column '" + input.name(i) + "': " + e.getMessage(), e.refusal);
      }
    }
    CelVariableResolver resolver = name -> {
      int i = input.indexOf(name);
      return i < 0 ? Optional.empty() : Optional.ofNullable(raw[i]);
    };
    String current = "where";
    try {
      for (CompiledExpression w : wheres) {
        current = "where '" + w.text + "'";
        if (!w.test(raw, resolver)) return SourceResult.Filtered.INSTANCE;
      }
      current = "timeColumn '" + time.text + "'";
      Object ts = time.eval(raw, resolver);
      if (!(ts instanceof Long t)) {
        return new SourceResult.Rejected("no event time: timeColumn '" + time.text + "' is null", Refusal.NO_EVENT_TIME);
      }
      Object[] values = new Object[selects.size()];
      for (int i = 0; i < values.length; i++) {
        CompiledExpression s = selects.get(i);
        current = "select '" + output.name(i) + "'";
        values[i] = s.eval(raw, resolver);
        if (!Coercion.finite(values[i])) {
          return new SourceResult.Rejected(current + " is not a finite number: " + values[i], Refusal.NON_FINITE);
        }
      }
      return new SourceResult.Accepted(new Row(t, values));
    } catch (CelEvaluationException e) {
      return new SourceResult.Rejected(current + " failed: " + describe(e), Refusal.EVALUATION_ERROR);
    } catch (RuntimeException e) {
      return new SourceResult.Rejected(current + " failed: " + e, Refusal.EVALUATION_ERROR);
    }
  }
}
