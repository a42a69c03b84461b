package org.tca.numerics.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.linalg.SpectralTestMatrices.U;

import org.junit.jupiter.api.Test;
import org.tca.numerics.linalg.SpectralTestMatrices.CountingOperator;
import org.tca.numerics.linalg.SpectralTestMatrices.Known;

/**
 * Power iteration against the dense solver. Checks: (1) Kato-Temple: for the returned unit v
 * with mu = v'Av and r = ||Av - mu v||, |mu - lambda| <= r^2 / delta, delta the distance from mu
 * to the rest of the spectrum, which ties the reported value to the reported vector; (2) the
 * stopping rule: with rho = max_{j>1} (lambda_j / lambda_1)^2 the error of mu_k contracts by
 * about rho per step, so a last change <= tol leaves an error of about tol rho / (1 - rho); we
 * allow twice that for the pre-asymptotic ratio of normalisations (and C n u ||A|| rounding).
 */
class PowerIterationTest {

  private static final double C = 10;

  @Test
  void publishedRecipeFindsThePositiveDominantEigenvalue() {
    int n = 100;
    double[] lambda = SpectralTestMatrices.concat(new double[] {10, 6},
        SpectralTestMatrices.linspace(-5, 5, n - 2));
    checkDominant(SpectralTestMatrices.withSpectrum(lambda, 1), 10, 6, false);
  }

  @Test
  void negativeDominantEigenvalueKeepsItsSign() {
    int n = 100;
    double[] lambda = SpectralTestMatrices.concat(new double[] {-12, 7},
        SpectralTestMatrices.linspace(-6, 6, n - 2));
    PowerIterationResult r = checkDominant(SpectralTestMatrices.withSpectrum(lambda, 2), -12, 7,
        false);
    assertTrue(r.eigenvalue() < 0, "signed Rayleigh quotient expected, got " + r.eigenvalue());
    assertEquals(12, r.magnitude(), 1e-5);
  }

  @Test
  void relativeToleranceMode() {
    int n = 60;
    double[] lambda = SpectralTestMatrices.concat(new double[] {-300},
        SpectralTestMatrices.linspace(-150, 150, n - 1));
    checkDominant(SpectralTestMatrices.withSpectrum(lambda, 3), -300, 150, true);
  }

  private static PowerIterationResult checkDominant(Known k, double lambda1, double lambda2,
      boolean relative) {
    int n = k.n;
    EigenPairs dense = DenseSymmetricEigen.decompose(n, k.a);
    double biggest = Math.abs(dense.value(0)) > Math.abs(dense.value(n - 1))
        ? dense.value(0) : dense.value(n - 1);
    double rounding = C * n * U * k.norm();
    assertEquals(lambda1, biggest, rounding, "dense oracle");
    CountingOperator op = new CountingOperator(k.operator());
    double tol = relative ? 1e-8 : PowerIteration.DEFAULT_TOLERANCE;
    PowerIterationResult r = relative
        ? new PowerIteration(n).solve(op, 500, tol, true, null, 17)
        : new PowerIteration(n).solve(op, 17);
    assertTrue(r.converged(), "not converged in " + r.iterations());
    assertEquals(op.count, r.products());
    assertEquals(r.iterations(), r.products());
    double mu = r.eigenvalue();
    double[] v = r.vector();
    assertEquals(1.0, SpectralTestMatrices.norm(v), C * n * U);
    double res = SpectralTestMatrices.residual(n, k.a, mu, v);
    double delta = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (Math.abs(dense.value(i) - biggest) > rounding) {
        delta = Math.min(delta, Math.abs(mu - dense.value(i)));
      }
    }
    assertTrue(Math.abs(mu - biggest) <= res * res / delta + rounding, "Kato-Temple");
    double rho = (lambda2 / lambda1) * (lambda2 / lambda1);
    double lastChange = relative ? tol * Math.abs(mu) : tol;
    assertEquals(biggest, mu, 2 * lastChange * rho / (1 - rho) + rounding, "stopping rule");
    assertEquals(res, Math.sqrt(Math.max(0, r.magnitude() * r.magnitude() - mu * mu)),
        Math.sqrt(rounding * k.norm()) + rounding, "||Av||^2 = mu^2 + r^2");
    return r;
  }

  @Test
  void iterationCapIsRespected() {
    int n = 50;
    double[] lambda = SpectralTestMatrices.concat(new double[] {1.0, 0.999},
        SpectralTestMatrices.linspace(-0.5, 0.5, n - 2));
    Known k = SpectralTestMatrices.withSpectrum(lambda, 4);
    CountingOperator op = new CountingOperator(k.operator());
    PowerIterationResult r = new PowerIteration(n).solve(op, 7, 1e-15, false, null, 2);
    assertFalse(r.converged());
    assertEquals(7, r.iterations());
    assertEquals(7, op.count);
    // The reported value is the Rayleigh quotient of the reported vector.
    double[] av = SpectralTestMatrices.multiply(n, k.a, r.vector());
    assertEquals(SpectralTestMatrices.dot(r.vector(), av), r.eigenvalue(), C * n * U);
  }

  @Test
  void exactEigenvectorStartStopsAtTheSecondProduct() {
    int n = 30;
    Known k = SpectralTestMatrices.withSpectrum(SpectralTestMatrices.linspace(-2, 5, n), 5);
    PowerIterationResult r = new PowerIteration(n).solve(k.operator(), 500, 1e-12, false,
        k.eigenvector(n - 1), 0);
    assertTrue(r.converged());
    assertEquals(2, r.iterations());
    assertEquals(5, r.eigenvalue(), C * n * U * 5);
  }

  @Test
  void reproducibleForASeedAndRejectsBadArguments() {
    int n = 20;
    Known k = SpectralTestMatrices.withSpectrum(SpectralTestMatrices.linspace(-1, 3, n), 6);
    PowerIteration p = new PowerIteration(n);
    PowerIterationResult a = p.solve(k.operator(), 9);
    PowerIterationResult b = p.solve(k.operator(), 9);
    assertEquals(a.eigenvalue(), b.eigenvalue(), 0.0);
    assertArrayEquals(a.vector(), b.vector(), 0.0);
    assertThrows(IllegalArgumentException.class,
        () -> p.solve(k.operator(), 0, 1e-6, false, null, 1));
    assertThrows(IllegalArgumentException.class,
        () -> p.solve(k.operator(), 10, 1e-6, false, new double[n], 1));
    assertThrows(IllegalArgumentException.class, () -> new PowerIteration(n + 1).solve(
        k.operator(), 1));
  }
}
