package dev.tessera.agg.expr;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.tessera.agg.definition.DataType;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one CEL setup of Tessera (options, macros, variables typed by schema types), for everything
 * that compiles CEL against named, typed values: a source's wheres and selects, a Join's
 * derivations. Expressions compiled here are checked, and their programs are thread-safe.
 */
public final class CelEnvironment {
  static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  /**
   * Comprehension iterations one evaluation may take: the run-time guard behind {@link CelCost}'s
   * registration check. An event that needs more is rejected (batch: counted; stream: dead letter).
   */
  public static final int MAX_ITERATIONS = 10_000;
  /** {@code amount > 100} compares a double with an int, as users expect. */
  static final CelOptions OPTIONS = CelOptions.current()
      .enableHeterogeneousNumericComparisons(true)
      .comprehensionMaxIterations(MAX_ITERATIONS)
      .build();

  /** A checked expression: its program, result type and the variables it reads. */
  public record Checked(String text, CelType celType, Optional<DataType> type, CelRuntime.Program program,
      Set<String> referenced) {
    public Checked {
      referenced = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(referenced));
    }

    /** The result type as CEL writes it: {@code list(string)}, {@code map(string, int)}. */
    public String typeText() {
      return dev.cel.common.types.CelTypes.format(celType);
    }
  }

  /** What compiling gave: {@link Checked}, or the error with CEL's line:column and caret. */
  public record Outcome(Checked checked, String error) {
    public boolean ok() {
      return checked != null;
    }
  }

  private final Cel cel;

  private CelEnvironment(Cel cel) {
    this.cel = cel;
  }

  /** An environment whose variables are {@code variables} (names that are not identifiers are left out). */
  public static CelEnvironment of(Map<String, DataType> variables) {
    return new CelEnvironment(builder(variables).build());
  }

  static CelBuilder builder(Map<String, DataType> variables) {
    CelBuilder builder = CelFactory.plannerCelBuilder().setOptions(OPTIONS)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    variables.forEach((name, type) -> {
      if (IDENT.matcher(name).matches()) builder.addVar(name, CelTypes.toCel(type));
    });
    return builder;
  }

  /** Parses and type-checks {@code text}; errors read "CEL: at 1:8: ..." followed by the caret lines. */
  public Outcome compile(String text) {
    return compile(cel, text);
  }

  static Outcome compile(Cel env, String text) {
    CelValidationResult result = env.compile(text);
    if (result.hasError()) return new Outcome(null, "CEL: " + errors(result));
    try {
      CelAbstractSyntaxTree ast = result.getAst();
      long steps = CelCost.estimate(ast);
      if (steps > CelCost.MAX_STEPS) {
        return new Outcome(null, "CEL: too costly: up to " + (steps == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : steps)
            + " steps per event, at most " + CelCost.MAX_STEPS + " are allowed (nested comprehensions multiply; a comprehension over a"
            + " column counts " + CelCost.ASSUMED_RANGE + " elements)");
      }
      CelType type = ast.getResultType();
      Set<String> referenced = new LinkedHashSet<>();
      freeIdentifiers(ast).forEach(referenced::add);
      return new Outcome(new Checked(text, type, CelTypes.fromCel(type), env.createProgram(ast), referenced), null);
    } catch (CelValidationException | CelEvaluationException e) {
      return new Outcome(null, "CEL: " + e.getMessage());
    }
  }

  /**
   * The identifiers an expression reads, found by parsing alone (no types needed), or empty when
   * it does not parse. Lets a caller explain an undeclared reference.
   */
  public Set<String> identifiers(String text) {
    CelValidationResult parsed = cel.parse(text);
    Set<String> out = new LinkedHashSet<>();
    if (parsed.hasError()) return out;
    try {
      freeIdentifiers(parsed.getAst()).forEach(out::add);
    } catch (CelValidationException e) {
      // no AST: nothing to name
    }
    return out;
  }

  /** The syntax error of {@code text} (parsing only, no variables needed), if any. */
  public Optional<String> syntaxError(String text) {
    CelValidationResult parsed = cel.parse(text);
    return parsed.hasError() ? Optional.of("CEL: " + errors(parsed)) : Optional.empty();
  }

  static String errors(CelValidationResult result) {
    return result.getErrorString().replace("ERROR: <input>:", "at ").strip();
  }

  /** The variables an AST reads: identifiers that are not bound by a macro (comprehension). */
  static Stream<String> freeIdentifiers(CelAbstractSyntaxTree ast) {
    return CelNavigableAst.fromAst(ast).getRoot().allNodes()
        .filter(n -> n.getKind() == CelExpr.ExprKind.Kind.IDENT && !boundByComprehension(n))
        .map(n -> n.expr().ident().name())
        .distinct();
  }

  /**
   * True when an identifier is a macro's variable ({@code t} in {@code tags.exists(t, t == 'a')})
   * rather than a column, even when a column has the same name: such a column is not read.
   */
  private static boolean boundByComprehension(CelNavigableExpr ident) {
    String name = ident.expr().ident().name();
    CelNavigableExpr child = ident;
    for (var parent = ident.parent(); parent.isPresent(); child = parent.get(), parent = parent.get().parent()) {
      CelExpr e = parent.get().expr();
      if (e.getKind() != CelExpr.ExprKind.Kind.COMPREHENSION) continue;
      var c = e.comprehension();
      boolean inScope = child.expr().id() != c.iterRange().id() && child.expr().id() != c.accuInit().id();
      if (inScope && (name.equals(c.iterVar()) || name.equals(c.iterVar2()) || name.equals(c.accuVar()))) return true;
    }
    return false;
  }
}
