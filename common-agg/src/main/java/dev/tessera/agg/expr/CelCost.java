package dev.tessera.agg.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;

/**
 * The worst-case work of one evaluation of a CEL expression, estimated from its AST at
 * registration (cel-java has no cost estimator): every node costs one step, and a comprehension
 * ({@code all}, {@code exists}, {@code map}, {@code filter}) costs its body once per element of its
 * range. A range written in the expression counts its elements; a column or a computed list counts
 * {@link #ASSUMED_RANGE}, so nested comprehensions multiply. Issue 21: four nested
 * {@code all} over 100-element lists validated and cost over 60 s per event; they now are a
 * validation problem, and whatever slips through (a list column far longer than assumed) hits
 * {@link CelEnvironment#MAX_ITERATIONS} at run time.
 */
public final class CelCost {
  /** The estimated steps an expression may take per event (README "Security"). */
  public static final long MAX_STEPS = 100_000;
  /** What a comprehension over a column (or any list not written out) is assumed to iterate. */
  public static final long ASSUMED_RANGE = 100;

  private CelCost() {}

  public static long estimate(CelAbstractSyntaxTree ast) {
    return cost(CelNavigableAst.fromAst(ast).getRoot());
  }

  private static long cost(CelNavigableExpr node) {
    CelExpr e = node.expr();
    if (e.getKind() == CelExpr.ExprKind.Kind.COMPREHENSION) {
      CelExpr.CelComprehension c = e.comprehension();
      long range = 0;
      long once = 0;
      long perElement = 1;
      for (CelNavigableExpr child : (Iterable<CelNavigableExpr>) node.children()::iterator) {
        long id = child.expr().id();
        long cost = cost(child);
        if (id == c.loopStep().id() || id == c.loopCondition().id()) perElement = saturatedAdd(perElement, cost);
        else if (id == c.iterRange().id()) range = cost;
        else once = saturatedAdd(once, cost);
      }
      return saturatedAdd(saturatedAdd(1 + range, once), saturatedMultiply(elements(c.iterRange()), perElement));
    }
    long total = 1;
    for (CelNavigableExpr child : (Iterable<CelNavigableExpr>) node.children()::iterator) total = saturatedAdd(total, cost(child));
    return total;
  }

  private static long elements(CelExpr range) {
    return switch (range.getKind()) {
      case LIST -> range.list().elements().size();
      case MAP -> range.map().entries().size();
      default -> ASSUMED_RANGE;
    };
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  private static long saturatedMultiply(long a, long b) {
    return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
