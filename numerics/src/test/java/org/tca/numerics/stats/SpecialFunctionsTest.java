package org.tca.numerics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tca.numerics.stats.ErrorBounds.U;
import static org.tca.numerics.stats.ErrorBounds.assertClose;

import org.junit.jupiter.api.Test;

/**
 * {@link SpecialFunctions} against closed forms, identities and reference values computed with
 * mpmath at 40 significant digits (mp.loggamma, mp.betainc(regularized=True), mp.gammainc,
 * mp.erf, mp.erfc), rounded to the nearest double.
 */
class SpecialFunctionsTest {

  /** ln Gamma(n) = ln (n-1)! = sum ln k; the reference sum has error <= (n + 1) u sum. */
  @Test
  void logGammaOfIntegersIsLogFactorial() {
    double logFactorial = 0; // ln (n-1)!
    for (int n = 1; n <= 171; n++) {
      if (n > 2) {
        logFactorial += Math.log(n - 1);
      }
      double tol = (n + 1) * U * logFactorial + ErrorBounds.logGamma(n);
      assertClose(logFactorial, SpecialFunctions.logGamma(n), tol, "lnGamma(" + n + ")");
    }
  }

  @Test
  void logGammaOfHalfIntegersIsSqrtPi() {
    // Gamma(1/2) = sqrt(pi), Gamma(3/2) = sqrt(pi)/2, Gamma(5/2) = 3 sqrt(pi)/4.
    double lnSqrtPi = 0.5 * Math.log(Math.PI);
    assertClose(lnSqrtPi, SpecialFunctions.logGamma(0.5), ErrorBounds.logGamma(0.5) + U, "1/2");
    assertClose(lnSqrtPi - Math.log(2), SpecialFunctions.logGamma(1.5),
        ErrorBounds.logGamma(1.5) + 2 * U, "3/2");
    assertClose(lnSqrtPi + Math.log(0.75), SpecialFunctions.logGamma(2.5),
        ErrorBounds.logGamma(2.5) + 2 * U, "5/2");
  }

  @Test
  void logGammaMatchesReferenceValues() {
    double[][] ref = {
      {0.001, 6.907178885383853}, {0.1, 2.252712651734206}, {1.0 / 3, 0.9854206469277671},
      {0.7, 0.26086724653166654}, {1.5, -0.12078223763524522}, {2.5, 0.2846828704729192},
      {7.3, 7.147892523022249}, {33.3, 82.60372358165495}, {100.5, 361.4355404677776},
      {12345.678, 103959.91990554606}, {1e6, 12815504.569147611},
    };
    for (double[] r : ref) {
      // + half an ulp of the rounded reference
      double tol = ErrorBounds.logGamma(r[0]) + Math.ulp(r[1]);
      assertClose(r[1], SpecialFunctions.logGamma(r[0]), tol, "lnGamma(" + r[0] + ")");
    }
  }

  @Test
  void logGammaSatisfiesTheRecurrence() {
    for (double x = 0.01; x < 200; x *= 1.37) {
      double tol = ErrorBounds.logGamma(x) + ErrorBounds.logGamma(x + 1)
          + U * (Math.abs(Math.log(x)) + Math.abs(SpecialFunctions.logGamma(x + 1)));
      assertClose(SpecialFunctions.logGamma(x) + Math.log(x), SpecialFunctions.logGamma(x + 1),
          tol, "recurrence at " + x);
    }
  }

  @Test
  void logGammaDomain() {
    assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logGamma(0));
    assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.logGamma(-2.5));
    assertEquals(Double.NaN, SpecialFunctions.logGamma(Double.NaN));
    assertEquals(Double.POSITIVE_INFINITY, SpecialFunctions.logGamma(Double.POSITIVE_INFINITY));
  }

  /** I_x(a, 1) = x^a, I_x(1, b) = 1 - (1 - x)^b; dyadic x so that 1 - x is exact. */
  @Test
  void incompleteBetaClosedForms() {
    double[] params = {0.1, 0.5, 1, 2, 3.7, 10, 55.5, 400};
    for (int k = 1; k < 64; k++) {
      double x = k / 64.0;
      for (double a : params) {
        double want = Math.pow(x, a); // within 1 ulp
        double tol = ErrorBounds.beta(x, a, 1, want) + 2 * U * want;
        assertClose(want, SpecialFunctions.regularizedBeta(x, a, 1), tol,
            "I_" + x + "(" + a + ", 1)");
        double tail = Math.pow(1 - x, a);
        want = 1 - tail;
        tol = ErrorBounds.beta(x, 1, a, want) + 2 * U * tail + U;
        assertClose(want, SpecialFunctions.regularizedBeta(x, 1, a), tol,
            "I_" + x + "(1, " + a + ")");
      }
    }
  }

  /** The far left tail must be relatively accurate: I_x(a, 1) = x^a down to 1e-300. */
  @Test
  void incompleteBetaTailIsRelativelyAccurate() {
    double[][] cases = {{1e-3, 5}, {1e-10, 3}, {1e-6, 50}, {0.25, 498}};
    for (double[] c : cases) {
      double want = Math.pow(c[0], c[1]);
      double tol = ErrorBounds.beta(c[0], c[1], 1, want) + 2 * U * want;
      assertClose(want, SpecialFunctions.regularizedBeta(c[0], c[1], 1), tol, "tail " + c[0]);
    }
  }

  @Test
  void incompleteBetaSymmetryAndMedian() {
    double[] params = {0.3, 1, 2.5, 7, 31, 150};
    for (double a : params) {
      for (double b : params) {
        for (int k = 1; k < 32; k++) {
          double x = k / 32.0;
          double i1 = SpecialFunctions.regularizedBeta(x, a, b);
          double i2 = SpecialFunctions.regularizedBeta(1 - x, b, a);
          double tol = ErrorBounds.beta(x, a, b, i1) + ErrorBounds.beta(1 - x, b, a, i2) + U;
          assertClose(1.0, i1 + i2, tol, "symmetry x=" + x + " a=" + a + " b=" + b);
        }
      }
      // I_{1/2}(a, a) = 1/2
      assertClose(0.5, SpecialFunctions.regularizedBeta(0.5, a, a),
          ErrorBounds.beta(0.5, a, a, 0.5), "median a=" + a);
    }
  }

  @Test
  void incompleteBetaMatchesReferenceValues() {
    double[][] ref = { // a, b, x, I_x(a, b)
      {2, 3, 0.4, 0.5248},
      {0.5, 0.5, 0.3, 0.36901011956554536},
      {10, 20, 0.2, 0.0492635173042125},
      {10, 20, 0.45, 0.9087135620842279},
      {50, 0.5, 0.9, 0.0012041498325598113},
      {0.5, 50, 0.01, 0.6826956021258024},
      {200, 300, 0.41, 0.6776281647721794},
      {1.5, 2.5, 0.999, 0.9999999356016206},
      {5, 5, 0.5, 0.5},
      {1000, 0.5, 0.998, 0.045419228506963505},
    };
    for (double[] r : ref) {
      double tol = ErrorBounds.beta(r[2], r[0], r[1], r[3]) + Math.ulp(r[3]);
      assertClose(r[3], SpecialFunctions.regularizedBeta(r[2], r[0], r[1]), tol,
          "I_" + r[2] + "(" + r[0] + ", " + r[1] + ")");
    }
  }

  @Test
  void incompleteBetaEdgesAndDomain() {
    assertEquals(0.0, SpecialFunctions.regularizedBeta(0, 2, 3));
    assertEquals(1.0, SpecialFunctions.regularizedBeta(1, 2, 3));
    assertEquals(Double.NaN, SpecialFunctions.regularizedBeta(Double.NaN, 2, 3));
    Class<IllegalArgumentException> iae = IllegalArgumentException.class;
    assertThrows(iae, () -> SpecialFunctions.regularizedBeta(-0.1, 2, 3));
    assertThrows(iae, () -> SpecialFunctions.regularizedBeta(1.1, 2, 3));
    assertThrows(iae, () -> SpecialFunctions.regularizedBeta(0.5, 0, 3));
  }

  @Test
  void incompleteGammaClosedFormsAndRecurrence() {
    for (double x = 1e-3; x < 700; x *= 1.5) {
      // P(1, x) = 1 - e^-x
      double want = -Math.expm1(-x);
      double tol = ErrorBounds.gammaP(1, x, want) + 2 * U * want;
      assertClose(want, SpecialFunctions.regularizedGammaP(1, x), tol, "P(1, " + x + ")");
      for (double a : new double[] {0.5, 2, 7.5, 40}) {
        double p = SpecialFunctions.regularizedGammaP(a, x);
        double q = SpecialFunctions.regularizedGammaQ(a, x);
        assertClose(1.0, p + q, ErrorBounds.gammaP(a, x, p) + U, "P + Q at " + a + ", " + x);
        // P(a + 1, x) = P(a, x) - x^a e^-x / Gamma(a + 1)
        double term = Math.exp(a * Math.log(x) - x - SpecialFunctions.logGamma(a + 1));
        double p1 = SpecialFunctions.regularizedGammaP(a + 1, x);
        double termTol = term * (U * (4 + Math.abs(a * Math.log(x)) + x)
            + ErrorBounds.logGamma(a + 1));
        double recTol = ErrorBounds.gammaP(a, x, p) + ErrorBounds.gammaP(a + 1, x, p1) + termTol
            + U * p;
        assertClose(p - term, p1, recTol, "recurrence at " + a + ", " + x);
      }
    }
  }

  @Test
  void incompleteGammaMatchesReferenceValues() {
    double[][] ref = { // a, x, P, Q
      {0.5, 0.1, 0.34527915398142295, 0.654720846018577},
      {0.5, 2, 0.9544997361036416, 0.04550026389635842},
      {3, 2.5, 0.45618688411667047, 0.5438131158833295},
      {10, 15, 0.9301463393005902, 0.06985366069940976},
      {100, 90, 0.15822098918643016, 0.8417790108135699},
      {2.5, 30, 0.9999999999878454, 1.215456977718304e-11},
      {0.1, 1e-3, 0.5267685683924451, 0.4732314316075549},
    };
    for (double[] r : ref) {
      double a = r[0];
      double x = r[1];
      double rho = ErrorBounds.gammaRelative(a, x);
      boolean series = x < a + 1;
      double tolP = (series ? rho * r[2] : rho * r[3] + U) + Math.ulp(r[2]);
      double tolQ = (series ? rho * r[2] + U : rho * r[3]) + Math.ulp(r[3]);
      assertClose(r[2], SpecialFunctions.regularizedGammaP(a, x), tolP, "P(" + a + ", " + x + ")");
      assertClose(r[3], SpecialFunctions.regularizedGammaQ(a, x), tolQ, "Q(" + a + ", " + x + ")");
    }
    assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.regularizedGammaP(0, 1));
    assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.regularizedGammaQ(1, -1));
    assertEquals(0.0, SpecialFunctions.regularizedGammaP(2, 0));
    assertEquals(1.0, SpecialFunctions.regularizedGammaP(2, Double.POSITIVE_INFINITY));
  }

  /** erf/erfc references; erfc(z) for z >= 0 is Q(1/2, z^2), relatively accurate in the tail. */
  @Test
  void erfAndErfcMatchReferenceValues() {
    double[][] ref = { // z, erf, erfc
      {0.5, 0.5204998778130465, 0.4795001221869535},
      {1, 0.8427007929497149, 0.15729920705028513},
      {-1, -0.8427007929497149, 1.8427007929497148},
      {3, 0.9999779095030014, 2.209049699858544e-05},
      {5, 0.9999999999984626, 1.537459794428035e-12},
      {8, 1.0, 1.1224297172982926e-29},
      {10, 1.0, 2.088487583762545e-45},
      {26, 1.0, 5.663192408856143e-296},
      {-0.2, -0.22270258921047845, 1.2227025892104784},
      {1e-10, 1.1283791670955126e-10, 0.999999999887162},
    };
    for (double[] r : ref) {
      double z = r[0];
      double x = z * z;
      // z^2 carries a relative rounding error u: relative error u x in e^-x.
      double rho = ErrorBounds.gammaRelative(0.5, x) + 2 * U * x;
      boolean series = x < 1.5;
      double p = Math.abs(r[1]);
      double q = 1 - p;
      double tolErf = (series ? rho * p : rho * q + U) + Math.ulp(r[1]);
      double tolErfc = z >= 0 ? (series ? rho * p + U : rho * r[2]) + Math.ulp(r[2])
          : rho * p + 2 * U + Math.ulp(r[2]);
      assertClose(r[1], SpecialFunctions.erf(z), tolErf, "erf(" + z + ")");
      assertClose(r[2], SpecialFunctions.erfc(z), tolErfc, "erfc(" + z + ")");
    }
    assertEquals(0.0, SpecialFunctions.erf(0));
    assertEquals(1.0, SpecialFunctions.erfc(0));
  }
}
