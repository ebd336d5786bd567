package dev.tessera.agg.definition;

import dev.tessera.agg.definition.DataType.ListType;
import dev.tessera.agg.definition.DataType.MapType;
import dev.tessera.agg.definition.DataType.Primitive;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The aggregation operations of DESIGN.md, each with the input types it accepts, its output
 * type and the arguments it understands. The computation itself is in {@code dev.tessera.agg.op}.
 */
public enum Operation {
  SUM(Inputs.NUMERIC, Set.of()),
  COUNT(Inputs.ANY, Set.of()),
  AVG(Inputs.NUMERIC, Set.of()),
  MIN(Inputs.ORDERED, Set.of()),
  MAX(Inputs.ORDERED, Set.of()),
  VARIANCE(Inputs.NUMERIC, Set.of()),
  STDDEV(Inputs.NUMERIC, Set.of()),
  SKEW(Inputs.NUMERIC, Set.of()),
  KURTOSIS(Inputs.NUMERIC, Set.of()),
  FIRST(Inputs.PRIMITIVE, Set.of()),
  LAST(Inputs.PRIMITIVE, Set.of()),
  FIRST_K(Inputs.PRIMITIVE, Set.of("k")),
  LAST_K(Inputs.PRIMITIVE, Set.of("k")),
  TOP_K(Inputs.ORDERED, Set.of("k")),
  BOTTOM_K(Inputs.ORDERED, Set.of("k")),
  UNIQUE_COUNT(Inputs.PRIMITIVE, Set.of()),
  APPROX_UNIQUE_COUNT(Inputs.PRIMITIVE, Set.of("lgK")),
  APPROX_PERCENTILE(Inputs.NUMERIC, Set.of("percentiles", "k")),
  HISTOGRAM(Inputs.DISCRETE, Set.of()),
  APPROX_HISTOGRAM_K(Inputs.DISCRETE, Set.of("k")),
  BOUNDED_UNIQUE_COUNT(Inputs.PRIMITIVE, Set.of("k"));

  /** Which input types an operation takes. */
  enum Inputs {
    /** INT, LONG, FLOAT, DOUBLE */
    NUMERIC("a numeric column (INT, LONG, FLOAT, DOUBLE)"),
    /** numeric or STRING: values with a natural order */
    ORDERED("a numeric or STRING column"),
    /** any primitive: STRING, numeric, BOOLEAN */
    PRIMITIVE("a STRING, numeric or BOOLEAN column"),
    /** values that make good map keys: STRING, INT, LONG, BOOLEAN */
    DISCRETE("a STRING, INT, LONG or BOOLEAN column"),
    ANY("a column of any type");

    final String description;

    Inputs(String description) {
      this.description = description;
    }
  }

  private final Inputs inputs;
  private final Set<String> argNames;

  Operation(Inputs inputs, Set<String> argNames) {
    this.inputs = inputs;
    this.argNames = argNames;
  }

  /** The name used in feature names: {@code amount_avg_1h}. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public Set<String> argNames() {
    return argNames;
  }

  public boolean accepts(DataType type) {
    return switch (inputs) {
      case NUMERIC -> type.isNumeric();
      case ORDERED -> type.isNumeric() || type == Primitive.STRING;
      case PRIMITIVE -> type.isPrimitive();
      case DISCRETE -> type == Primitive.STRING || type.isIntegral() || type == Primitive.BOOLEAN;
      case ANY -> true;
    };
  }

  /** What {@link #accepts} wants, for error messages. */
  public String acceptedDescription() {
    return inputs.description;
  }

  /** The type of the finished value for an input of {@code input} (which this operation accepts). */
  public DataType outputType(DataType input) {
    DataType widened = widen(input);
    return switch (this) {
      case SUM, MIN, MAX, FIRST, LAST -> widened;
      case COUNT, UNIQUE_COUNT, APPROX_UNIQUE_COUNT, BOUNDED_UNIQUE_COUNT -> Primitive.LONG;
      case AVG, VARIANCE, STDDEV, SKEW, KURTOSIS -> Primitive.DOUBLE;
      case FIRST_K, LAST_K, TOP_K, BOTTOM_K -> new ListType(widened);
      case APPROX_PERCENTILE -> new ListType(Primitive.DOUBLE);
      case HISTOGRAM, APPROX_HISTOGRAM_K -> new MapType(Primitive.LONG);
    };
  }

  /** INT is carried as LONG and FLOAT as DOUBLE (DESIGN.md: SUM keeps the input's kind). */
  public static DataType widen(DataType t) {
    if (t == Primitive.INT) return Primitive.LONG;
    if (t == Primitive.FLOAT) return Primitive.DOUBLE;
    return t;
  }

  /** Parses an operation name, case-insensitively, accepting the alias AVERAGE for AVG. */
  public static Optional<Operation> parse(String name) {
    if (name == null) return Optional.empty();
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (n.equals("AVERAGE")) return Optional.of(AVG);
    try {
      return Optional.of(valueOf(n));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public static String allNames() {
    return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
