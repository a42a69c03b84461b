package org.tca.numerics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.stats.ErrorBounds.U;
import static org.tca.numerics.stats.ErrorBounds.assertClose;

import org.junit.jupiter.api.Test;

/**
 * {@link Distributions} against closed forms, textbook table values and mpmath references (40
 * digits: betainc for the t tails, ncdf, sqrt(2) erfinv(2p - 1), gammainc), rounded to double.
 */
class DistributionsTest {

  /** Error bound of the two-sided t p-value I_x(nu/2, 1/2), x = nu / (nu + t^2). */
  static double tTailBound(double t, double df, double want) {
    double x = df / (df + t * t);
    return ErrorBounds.beta(x, df / 2, 0.5, want) + 4 * U * want;
  }

  /** nu = 1 is the Cauchy law: F(t) = 1/2 + atan(t) / pi; lower tail atan(-1/t) / pi. */
  @Test
  void studentTWithOneDegreeIsCauchy() {
    for (double t = -1e4; t <= 1e4; t = nextGridPoint(t)) {
      double want = 0.5 + Math.atan(t) / Math.PI;
      double tail = 2 * Math.min(want, 1 - want);
      double tol = tTailBound(t, 1, tail) + 4 * U;
      assertClose(want, Distributions.studentTCdf(t, 1), tol, "Cauchy F(" + t + ")");
      if (t < -1) {
        double lower = Math.atan(-1 / t) / Math.PI; // within 3 ulp, no cancellation
        assertClose(lower, Distributions.studentTCdf(t, 1),
            tTailBound(t, 1, 2 * lower) / 2 + 3 * U * lower, "Cauchy tail at " + t);
      }
    }
  }

  /** nu = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)); lower tail 1 / (s (s + |t|)), s = sqrt(2+t^2). */
  @Test
  void studentTWithTwoDegreesClosedForm() {
    for (double t = -1e4; t <= 1e4; t = nextGridPoint(t)) {
      double s = Math.sqrt(2 + t * t);
      double lower = 1 / (s * (s + Math.abs(t))); // P(T <= -|t|), within 4 ulp
      double want = t < 0 ? lower : 1 - lower;
      double tol = tTailBound(t, 2, 2 * lower) / 2 + 4 * U * lower + U;
      assertClose(want, Distributions.studentTCdf(t, 2), tol, "t2 F(" + t + ")");
      assertClose(2 * lower, Distributions.studentTTwoSidedP(t, 2),
          tTailBound(t, 2, 2 * lower) + 8 * U * lower, "t2 p(" + t + ")");
    }
  }

  static double nextGridPoint(double t) {
    double step = Math.max(0.05, Math.abs(t) * 0.2);
    return t + step;
  }

  @Test
  void textbookTableValue() {
    // t_{0.975, 10} = 2.228 in every table: the two-sided p is 0.05 to the table's precision
    // (dp/dt = 2 f_10(2.228) = 0.0716, so the rounded t moves p by at most 3.6e-5).
    double p = Distributions.studentTTwoSidedP(2.228, 10);
    assertTrue(Math.abs(p - 0.05) < 4e-5, "p = " + p);
    assertClose(0.05001177181711138, p, tTailBound(2.228, 10, p) + Math.ulp(p), "t=2.228");
    // and 1.96 for the normal
    assertTrue(Math.abs(Distributions.normalCdf(1.96) - 0.975) < 3e-5);
  }

  @Test
  void studentTMatchesReferenceValues() {
    double[][] ref = { // t, df, two-sided p
      {1, 1, 0.5},
      {2.5, 3.5, 0.07569464380949008},
      {0.3, 30, 0.7662461052843528},
      {50, 3, 1.7617152041271975e-05},
      {-4, 7, 0.005189913349296812},
      {10, 100, 9.901688984594139e-17},
      {1e-8, 5, 0.9999999924078662},
      {3, 1e5, 0.002700460884064719},
    };
    for (double[] r : ref) {
      double tol = tTailBound(r[0], r[1], r[2]) + Math.ulp(r[2]);
      assertClose(r[2], Distributions.studentTTwoSidedP(r[0], r[1]), tol,
          "p(" + r[0] + ", " + r[1] + ")");
    }
    assertEquals(1.0, Distributions.studentTTwoSidedP(0, 4));
    assertEquals(0.5, Distributions.studentTCdf(0, 4));
    assertEquals(0.0, Distributions.studentTTwoSidedP(Double.NEGATIVE_INFINITY, 4));
    assertEquals(1.0, Distributions.studentTCdf(Double.POSITIVE_INFINITY, 4));
    assertEquals(Double.NaN, Distributions.studentTTwoSidedP(Double.NaN, 4));
    assertThrows(IllegalArgumentException.class, () -> Distributions.studentTCdf(1, 0));
  }

  /**
   * For large nu, F_nu(t) = Phi(t) - phi(t) (t^3 + t) / (4 nu) + O(nu^-2); with nu = 10^4 the
   * remainder is below 1e-7, checked here with a bound of 1e-7 after the first correction.
   */
  @Test
  void studentTApproachesNormal() {
    double nu = 1e4;
    for (double t = -4; t <= 4; t += 0.25) {
      double phi = Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
      double corrected = Distributions.normalCdf(t) - phi * (t * t * t + t) / (4 * nu);
      assertClose(corrected, Distributions.studentTCdf(t, nu), 1e-7, "t=" + t);
    }
  }

  @Test
  void normalCdfMatchesReferenceValues() {
    double[][] ref = {
      {0, 0.5}, {1.96, 0.9750021048517795}, {-1.96, 0.024997895148220435},
      {-10, 7.619853024160525e-24}, {-37, 5.725571222524577e-300}, {5, 0.9999997133484281},
      {0.1, 0.539827837277029},
    };
    for (double[] r : ref) {
      double x = 0.5 * r[0] * r[0];
      double rho = ErrorBounds.gammaRelative(0.5, x) + 2 * U * x;
      double lower = Math.min(r[1], 1 - r[1]);
      // Q(1/2, x) relative for the smaller tail; the larger side is 1 - that or 1 + P.
      double tol = rho * lower + (r[1] > 0.5 ? 2 * U : 0) + Math.ulp(r[1]);
      assertClose(r[1], Distributions.normalCdf(r[0]), tol, "Phi(" + r[0] + ")");
    }
    for (double z = 0; z < 8; z += 0.125) {
      double s = Distributions.normalCdf(z) + Distributions.normalCdf(-z);
      assertClose(1.0, s, 8 * U, "symmetry at " + z);
    }
  }

  /**
   * Quantiles: an error e in Phi(x) - p moves x by e / phi(x); Phi's relative error rho makes
   * that rho p / phi(x) <= rho / |x| in the tail (Mills), so |x| u-level relative accuracy.
   */
  @Test
  void normalQuantileMatchesReferenceValues() {
    double[][] ref = {
      {0.975, 1.9599639845400543}, {0.5, 0.0}, {1e-10, -6.361340902404057},
      {0.9, 1.2815515655446004}, {0.02425, -1.972961051311885}, {0.3, -0.5244005127080408},
      {1e-20, -9.262340089798407}, {1e-300, -37.0470962993612}, {0.999999, 4.753424308822899},
    };
    for (double[] r : ref) {
      double tol = 16 * U * Math.max(1, Math.abs(r[1])) + Math.ulp(r[1]);
      if (r[0] > 0.5) {
        tol += 2 * U / (Math.exp(-0.5 * r[1] * r[1]) / Math.sqrt(2 * Math.PI)); // 1 - p rounding
      }
      assertClose(r[1], Distributions.normalQuantile(r[0]), tol, "quantile(" + r[0] + ")");
    }
    assertEquals(Double.NEGATIVE_INFINITY, Distributions.normalQuantile(0));
    assertEquals(Double.POSITIVE_INFINITY, Distributions.normalQuantile(1));
    assertThrows(IllegalArgumentException.class, () -> Distributions.normalQuantile(1.5));
  }

  @Test
  void normalQuantileInvertsTheCdf() {
    for (double p = 1e-15; p < 1; p = p < 0.01 ? p * 3 : p + 0.0101) {
      double x = Distributions.normalQuantile(p);
      double phi = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
      // Phi(x) has relative error ~ rho; x itself is rounded (|x| u, times the density).
      double rho = ErrorBounds.gammaRelative(0.5, 0.5 * x * x) + U * x * x;
      double tol = rho * Math.min(p, 1 - p) + 16 * U * Math.max(1, Math.abs(x)) * phi + 2 * U;
      assertClose(p, Distributions.normalCdf(x), tol, "Phi(quantile(" + p + "))");
    }
  }

  @Test
  void chiSquareClosedFormsAndTables() {
    for (double x = 1e-3; x < 1400; x *= 1.7) {
      // k = 2: F(x) = 1 - exp(-x/2)
      double want = -Math.expm1(-x / 2);
      double tol = ErrorBounds.gammaP(1, x / 2, want) + 2 * U * want;
      assertClose(want, Distributions.chiSquareCdf(x, 2), tol, "chi2_2 at " + x);
      // k = 1: F(x) = erf(sqrt(x / 2)) = 1 - 2 Phi(-sqrt x)
      double e = 2 * Distributions.normalCdf(-Math.sqrt(x));
      double rho = ErrorBounds.gammaRelative(0.5, x / 2) + 4 * U * x;
      assertClose(e, Distributions.chiSquareSurvival(x, 1), 2 * rho * Math.max(e, 1 - e) + 2 * U,
          "chi2_1 at " + x);
    }
    // Table quantiles at 0.95: chi2_1 = 3.841458820694124, chi2_10 = 18.307038053275146.
    assertClose(0.95, Distributions.chiSquareCdf(3.841458820694124, 1),
        ErrorBounds.gammaRelative(0.5, 1.92) * 0.05 + 2 * U, "chi2_1 95%");
    assertClose(0.05, Distributions.chiSquareSurvival(18.307038053275146, 10),
        ErrorBounds.gammaRelative(5, 9.15) * 0.95 + 2 * U, "chi2_10 95%");
    assertClose(0.4529585113209314, Distributions.chiSquareSurvival(100, 99),
        ErrorBounds.gammaRelative(49.5, 50) + U, "chi2_99 at 100");
    assertThrows(IllegalArgumentException.class, () -> Distributions.chiSquareCdf(1, 0));
    assertThrows(IllegalArgumentException.class, () -> Distributions.chiSquareCdf(-1, 3));
  }
}
