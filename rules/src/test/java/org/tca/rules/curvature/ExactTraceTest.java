package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tca.numerics.linalg.DenseSymmetricOperator;
import org.tca.numerics.random.RandomStream;

/**
 * When the dimension d is at most the probe budget the trace is computed exactly as
 * sum_i e_i'H e_i (d products, standard error 0) instead of by random probes: an indefinite
 * operator of dimension 90 (eigenvalues of both signs, so Rademacher quadratic forms have a large
 * variance) against the trace of its dense matrix. Each e_i'H e_i is H_ii up to the rounding of
 * one length-d dot product (gamma_d max|H_ij| d), so the sum is within d^2 gamma_d max|H_ij|.
 */
class ExactTraceTest {

  private static final int D = 90;

  @Test
  void hutchinsonAndHutchPlusPlusAreExactWhenTheDimensionFitsTheProbeBudget() {
    double[] a = indefinite(D, 3);
    double trace = 0;
    double max = 0;
    for (int i = 0; i < D; i++) {
      trace += a[i * D + i];
    }
    for (double x : a) {
      max = Math.max(max, Math.abs(x));
    }
    double bound = D * D * (D * Math.ulp(1.0)) * max;
    DenseSymmetricOperator op = new DenseSymmetricOperator(D, a);
    TraceStoppingRule rule = TraceStoppingRule.defaults();
    assertTrue(D <= rule.maxProbes());
    for (TraceEstimate t : new TraceEstimate[] {HessianTrace.hutchinson(op, rule, 5),
        HessianTrace.hutchPlusPlus(op, 10, rule, 5)}) {
      assertEquals(trace, t.trace(), bound, t.toString());
      assertEquals(0.0, t.standardError(), t.toString());
      assertEquals("exact", t.method());
      assertEquals(D, t.products());
      assertTrue(t.converged());
    }
  }

  @Test
  void aDimensionAboveTheBudgetIsStillEstimated() {
    DenseSymmetricOperator op = new DenseSymmetricOperator(D, indefinite(D, 4));
    TraceEstimate t = HessianTrace.hutchinson(op, TraceStoppingRule.fixed(20), 6);
    assertEquals("hutchinson", t.method());
    assertEquals(20, t.probes());
    assertTrue(t.standardError() > 0);
  }

  /** A symmetric matrix with standard normal entries: eigenvalues of both signs. */
  private static double[] indefinite(int n, long seed) {
    RandomStream r = new RandomStream(seed);
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double x = r.nextGaussian();
        a[i * n + j] = x;
        a[j * n + i] = x;
      }
    }
    return a;
  }
}
