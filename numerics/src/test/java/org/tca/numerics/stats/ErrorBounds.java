package org.tca.numerics.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Error models for the special functions, used as test tolerances. u is the unit roundoff of
 * f64. Each bound is a sum of the documented approximation error and the conditioning of the
 * formula the implementation evaluates (an absolute error e in a logarithm becomes a relative
 * error e after exp).
 */
final class ErrorBounds {

  static final double U = Math.ulp(1.0) / 2;
  /** Lanczos (Godfrey, g = 607/128): |error of ln Gamma| <= LGAMMA_C u max(1, |ln Gamma|). */
  static final double LGAMMA_C = 16;

  private ErrorBounds() {}

  /** Absolute error bound of ln Gamma(x). */
  static double logGamma(double x) {
    return LGAMMA_C * U * Math.max(1, Math.abs(SpecialFunctions.logGamma(x)));
  }

  /**
   * Relative error of the front factor x^a y^b / B(a, b) times the continued fraction: the
   * absolute errors of a ln x, b ln y (rounding of the logs and of x, y themselves: (a + b) u),
   * of three log-gammas, and the rounding of O(sqrt(max(a, b))) fraction steps.
   */
  static double betaRelative(double x, double a, double b) {
    double y = 1 - x;
    return U * (8 + 4 * Math.sqrt(Math.max(a, b)) + Math.abs(a * Math.log(x))
        + Math.abs(b * Math.log(y)) + 4 * (a + b))
        + logGamma(a) + logGamma(b) + logGamma(a + b);
  }

  /**
   * Bound on |I_x(a, b) - want|: relative when I is computed directly (x below (a + 1) /
   * (a + b + 2)), relative in 1 - I plus one rounding when it is computed as 1 - I_{1-x}(b, a).
   */
  static double beta(double x, double a, double b, double want) {
    double rho = betaRelative(x, a, b);
    return x < (a + 1) / (a + b + 2) ? rho * want : rho * (1 - want) + U;
  }

  /** Relative error of P(a, x) by the series or Q(a, x) by the continued fraction. */
  static double gammaRelative(double a, double x) {
    return U * (8 + 4 * Math.sqrt(a) + x + Math.abs(a * Math.log(x)) + 2 * a) + logGamma(a);
  }

  /** Bound on |P(a, x) - want| (want = P). */
  static double gammaP(double a, double x, double want) {
    double rho = gammaRelative(a, x);
    return x < a + 1 ? rho * want : rho * (1 - want) + U;
  }

  static void assertClose(double want, double got, double tol, String what) {
    assertTrue(Math.abs(got - want) <= tol,
        what + ": want " + want + ", got " + got + ", error " + Math.abs(got - want)
            + " > tolerance " + tol);
  }
}
