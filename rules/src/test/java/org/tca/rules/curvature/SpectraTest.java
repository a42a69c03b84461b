package org.tca.rules.curvature;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tca.numerics.linalg.DenseSymmetricEigen;
import org.tca.numerics.linalg.DenseSymmetricOperator;
import org.tca.numerics.linalg.EigenPairs;
import org.tca.numerics.linalg.LanczosResult;
import org.tca.numerics.linalg.PowerIterationResult;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.Fixtures.Case;
import org.tca.rules.model.DoubleParameters;

/**
 * Spectra of a tiny network's full Hessian (products in f64) against the dense eigensolver of
 * the matrix assembled from the same products: Lanczos extremes within their residual bounds,
 * warm starts, the power recipe within its documented error, Hutchinson and Hutch++ within four
 * standard errors for a fixed seed, and stochastic Lanczos quadrature (exact quadrature when the
 * Krylov space is complete; integral 1; mass where the eigenvalues are).
 */
class SpectraTest {

  static DoubleHessianVectorProduct hvp;
  static EigenPairs exact;
  static double trace;
  static double norm;
  static int d;

  @BeforeAll
  static void setUp() {
    Case k = CurvatureFixtures.allCases().get(9); // voltage-leak tanh, leaky
    DoubleParameters p = DoubleParameters.initialize(k.config(), k.seed());
    BlockSelection all = BlockSelection.all(p.layout(), p.structure());
    hvp = new DoubleHessianVectorProduct(k.config(), all, 3, 6);
    hvp.prepare(p, CurvatureFixtures.doubleBatch(k));
    d = all.dimension();
    exact = DenseSymmetricEigen.decompose(d, DenseHessianTest.denseFromProducts(hvp), 1e-10);
    for (int i = 0; i < d; i++) {
      trace += exact.value(i);
      norm = Math.max(norm, Math.abs(exact.value(i)));
    }
  }

  @Test
  void lanczosExtremesMatchTheDenseEigenvalues() {
    HessianEigensolver solver = new HessianEigensolver(d);
    LanczosResult r = solver.extremes(hvp, 3, 3, 1e-10, null, 42);
    assertTrue(r.converged());
    // one run, then (3 pairs wanted at each end) one confirming run on the complement of the 6
    // locked pairs, which finds no further copy (LanczosMultiplicityTest): each run under d
    assertTrue(r.products() < 2 * d, "products " + r.products() + " of " + d);
    assertTrue(r.restarts() >= 1, "no confirming run");
    double rounding = 1e-12 * norm;
    for (int i = 0; i < 3; i++) {
      assertEquals(exact.value(d - 1 - i), r.top().value(i), r.topResiduals()[i] + rounding,
          "top " + i);
      assertEquals(exact.value(i), r.bottom().value(i), r.bottomResiduals()[i] + rounding,
          "bottom " + i);
    }
  }

  @Test
  void warmStartFromTheTopVectorConvergesAtOnce() {
    HessianEigensolver solver = new HessianEigensolver(d);
    LanczosResult cold = solver.top(hvp, 1, 1e-8, null, 1);
    LanczosResult warm = solver.top(hvp, 1, 1e-8, cold.top().vector(0), 2);
    assertTrue(warm.converged());
    assertTrue(warm.products() < cold.products(), warm.products() + " vs " + cold.products());
    assertEquals(exact.value(d - 1), warm.largest(), 1e-8 * norm);
  }

  @Test
  void theGradientStartFindsLambdaMaxInFewerProductsThanARandomStart() {
    HessianEigensolver solver = new HessianEigensolver(d);
    double[] g = new double[d];
    hvp.gradient(g);
    double[] kept = g.clone();
    LanczosResult random = solver.top(hvp, 1, 1e-8, null, 1);
    LanczosResult fromGradient = solver.topFromGradient(hvp, g, 1e-8, 1);
    assertTrue(fromGradient.converged());
    assertEquals(exact.value(d - 1), fromGradient.largest(),
        fromGradient.topResiduals()[0] + 1e-12 * norm);
    assertTrue(fromGradient.products() < random.products(),
        fromGradient.products() + " vs " + random.products());
    assertArrayEquals(kept, g, "the gradient is not modified");
    // a zero gradient leaves the seed's random vector
    LanczosResult zero = solver.topFromGradient(hvp, new double[d], 1e-8, 1);
    assertEquals(exact.value(d - 1), zero.largest(), zero.topResiduals()[0] + 1e-12 * norm);
  }

  @Test
  void powerRecipeReportsTheSignedDominantEigenvalue() {
    HessianEigensolver solver = new HessianEigensolver(d);
    PowerIterationResult r = solver.powerRecipe(hvp, 3);
    double l1 = Math.abs(exact.value(d - 1)) >= Math.abs(exact.value(0))
        ? exact.value(d - 1) : exact.value(0);
    double l2 = 0;
    for (int i = 0; i < d; i++) {
      if (exact.value(i) != l1) {
        l2 = Math.max(l2, Math.abs(exact.value(i)));
      }
    }
    double rho = (l2 / l1) * (l2 / l1);
    assertTrue(r.converged() && r.iterations() <= 500);
    // error about change * rho / (1 - rho) with change <= 1e-6 (PowerIteration's analysis), x2
    assertEquals(l1, r.eigenvalue(), 2e-6 * rho / (1 - rho) + 1e-12 * norm);
    assertEquals(Math.abs(l1), r.magnitude(), 1e-3 * Math.abs(l1));
  }

  @Test
  void hutchinsonAndHutchPlusPlusWithinFourStandardErrors() {
    // probe caps below d = 47 (at d or more the trace is computed exactly: ExactTraceTest)
    TraceEstimate h = HessianTrace.hutchinson(hvp, TraceStoppingRule.fixed(40), 5);
    assertEquals(40, h.probes());
    assertTrue(h.standardError() > 0);
    assertEquals(trace, h.trace(), 4 * h.standardError(), "Hutchinson " + h);
    TraceEstimate pp = HessianTrace.hutchPlusPlus(hvp, 8, TraceStoppingRule.fixed(30), 6);
    assertEquals(trace, pp.trace(), 4 * pp.standardError(), "Hutch++ " + pp);
    assertEquals(8 + 8 + 30, pp.products());
    assertTrue(pp.standardError() < h.standardError() * 2,
        "deflation does not hurt: " + pp + " vs " + h);
  }

  @Test
  void traceStoppingRuleStopsOnTheStandardError() {
    TraceStoppingRule rule = new TraceStoppingRule(4, d - 1, 0.05, 0);
    TraceEstimate h = HessianTrace.hutchinson(hvp, rule, 9);
    assertTrue(h.converged() && h.probes() < d - 1, h.toString());
    assertTrue(h.standardError() <= 0.05 * Math.abs(h.trace()));
    assertEquals(trace, h.trace(), 4 * h.standardError());
  }

  @Test
  void hutchPlusPlusWithAFullSketchIsExact() {
    TraceEstimate pp = HessianTrace.hutchPlusPlus(hvp, d, TraceStoppingRule.fixed(2), 7);
    assertEquals("hutch++", pp.method());
    assertEquals(0.0, pp.standardError());
    assertEquals(trace, pp.trace(), 1e-10 * norm * d);
  }

  @Test
  void completeQuadratureIsExactForEachProbe() {
    StochasticLanczosQuadrature slq = new StochasticLanczosQuadrature(d, d);
    SpectralDensity s = slq.estimate(hvp, 3, 0.0, 2001, 11);
    assertEquals(1.0, s.integral(), 1e-6);
    // the same probes, expanded in the exact eigenvectors
    RandomStream r = new RandomStream(11);
    double[] z = new double[d];
    double[] w = new double[d];
    for (int p = 0; p < 3; p++) {
      r.fillRademacher(z, 0, d);
      for (int i = 0; i < d; i++) {
        double c = CurvatureFixtures.dot(z, exact.vector(i));
        w[i] += c * c / d / 3;
      }
    }
    double sigma = s.sigma();
    double maxDensity = 0;
    for (double x : s.density()) {
      maxDensity = Math.max(maxDensity, x);
    }
    for (int g = 0; g < s.grid().length; g += 10) {
      double x = s.grid()[g];
      double phi = 0;
      for (int i = 0; i < d; i++) {
        double u = (x - exact.value(i)) / sigma;
        phi += w[i] * Math.exp(-0.5 * u * u) / (sigma * Math.sqrt(2 * Math.PI));
      }
      assertEquals(phi, s.density()[g], 1e-6 * maxDensity, "density at " + x);
    }
    // each probe's mean is z'Hz/d, of variance 2 sum_{i != j} H_ij^2 / d^2 <= 2 norm^2 / d
    assertEquals(trace / d, s.mean(), 4 * norm * Math.sqrt(2.0 / (3 * d)));
  }

  @Test
  void densityConcentratesOnTheSpectrumOfAClusteredOperator() {
    int n = 200;
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = i < 60 ? -1.0 + 1e-3 * i : 2.0 + 1e-3 * (i - 60);
    }
    DenseSymmetricOperator op = new DenseSymmetricOperator(n, randomSymmetric(n, lambda, 13));
    StochasticLanczosQuadrature slq = new StochasticLanczosQuadrature(n, 30);
    SpectralDensity s = slq.estimate(op, 10, 0.05, 4001, 17);
    assertEquals(1.0, s.integral(), 1e-6);
    double nearLow = 0;
    double nearHigh = 0;
    for (int i = 1; i < s.grid().length; i++) {
      double x = s.grid()[i];
      double m = 0.5 * (s.density()[i] + s.density()[i - 1]) * (x - s.grid()[i - 1]);
      if (x > -1.3 && x < -0.6) {
        nearLow += m;
      } else if (x > 1.7 && x < 2.45) {
        nearHigh += m;
      }
    }
    // expected 0.3 and 0.7; the probe weights of 10 Rademacher probes have SE ~ 0.015 here
    assertEquals(0.3, nearLow, 0.06);
    assertEquals(0.7, nearHigh, 0.06);
    assertEquals(1.0, nearLow + nearHigh, 1e-4);
  }

  /** Q diag(lambda) Q' with Q from the QR of a seeded Gaussian matrix (Gram-Schmidt). */
  static double[] randomSymmetric(int n, double[] lambda, long seed) {
    RandomStream r = new RandomStream(seed);
    OrthonormalBasis q = new OrthonormalBasis(n, n);
    double[] v = new double[n];
    while (q.size() < n) {
      r.fillNormal(v, 0, n, 0, 1);
      double nv = q.orthogonalise(v, q.size(), null);
      q.add(v, nv);
    }
    double[] a = new double[n * n];
    for (int k = 0; k < n; k++) {
      double[] x = q.vector(k);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i * n + j] += lambda[k] * x[i] * x[j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        a[i * n + j] = a[j * n + i];
      }
    }
    return a;
  }
}
