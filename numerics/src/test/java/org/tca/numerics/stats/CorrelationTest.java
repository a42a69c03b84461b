package org.tca.numerics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.stats.ErrorBounds.U;
import static org.tca.numerics.stats.ErrorBounds.assertClose;

import org.junit.jupiter.api.Test;
import org.tca.numerics.random.RandomStream;

/**
 * {@link Correlation} on published examples, hand-computed ties, invariances and the null
 * calibration of its p-values. References marked scipy were computed with scipy 1.17
 * (pearsonr, spearmanr) and agree with mpmath at 40 digits.
 */
class CorrelationTest {

  /** Forward error of r: the three sums of n products, relative to sum |dx dy| / sqrt(sxx syy). */
  static double rBound(double[] x, double[] y) {
    double mx = Descriptive.mean(x);
    double my = Descriptive.mean(y);
    double sxx = 0;
    double syy = 0;
    double sabs = 0;
    for (int i = 0; i < x.length; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
      sabs += Math.abs((x[i] - mx) * (y[i] - my));
    }
    int n = x.length;
    return 4 * (n + 4) * U * (1 + sabs / Math.sqrt(sxx * syy));
  }

  /** Bound on the p-value: its own incomplete-beta error plus |dp/dr| times the error of r. */
  static double pBound(double r, int n, double p, double dr) {
    double nu = n - 2;
    double x = (1 - r) * (1 + r);
    // dp/d|r| = -2 (1 - r^2)^(nu/2 - 1) / B(nu/2, 1/2)
    double dpdr = 2 * Math.exp((nu / 2 - 1) * Math.log(x) - SpecialFunctions.logBeta(nu / 2, 0.5));
    return ErrorBounds.beta(x, nu / 2, 0.5, p) + 4 * U * p + dpdr * dr;
  }

  @Test
  void perfectMonotoneRelationsGiveOne() {
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] lin = new double[x.length];
    double[] rev = new double[x.length];
    double[] exp = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      lin[i] = 3 * x[i] - 1;
      rev[i] = -2 * x[i];
      exp[i] = Math.exp(x[i]);
    }
    assertClose(1.0, Correlation.pearson(x, lin).r(), rBound(x, lin), "pearson linear");
    assertClose(-1.0, Correlation.pearson(x, rev).r(), rBound(x, rev), "pearson reversed");
    assertTrue(Correlation.pearson(x, lin).p() < 1e-12);
    assertEquals(1.0, Correlation.spearman(x, exp).r());
    assertEquals(0.0, Correlation.spearman(x, exp).p());
    assertEquals(-1.0, Correlation.spearman(x, rev).r());
    assertEquals(10, Correlation.spearman(x, rev).n());
    assertTrue(Correlation.pearson(x, exp).r() < 0.9, "Pearson sees the curvature");
  }

  /**
   * Wikipedia's Spearman example (IQ vs hours of TV per week): rho = -29/165 = -0.175758,
   * published p = 0.627188 (t approximation); scipy gives 0.6271883447764846.
   */
  @Test
  void spearmanPublishedExample() {
    double[] iq = {106, 100, 86, 101, 99, 103, 97, 113, 112, 110};
    double[] tv = {7, 27, 2, 50, 28, 29, 20, 12, 6, 17};
    CorrelationResult c = Correlation.spearman(iq, tv);
    // ranks are exact, so r has only the rounding of the sums of products of ranks
    double dr = 4 * (10 + 4) * U * 3;
    assertClose(-29.0 / 165, c.r(), dr, "rho");
    assertTrue(Math.abs(c.p() - 0.627188) <= 5e-7, "published p " + c.p());
    assertClose(0.6271883447764846, c.p(), pBound(c.r(), 10, c.p(), dr) + Math.ulp(0.63), "p");
  }

  /**
   * Anscombe's quartet, set I: r = 0.816 (Anscombe 1973); mpmath (exact decimal data, 40
   * digits): r = 0.8164205163448398, p = 0.002169628873078797. scipy spearmanr gives rho =
   * 0.8181818181818182 (= 9/11), p = 0.0020831448404786917.
   */
  @Test
  void anscombeQuartetSetOne() {
    double[] x = {10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5};
    double[] y = {8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68};
    CorrelationResult c = Correlation.pearson(x, y);
    // + the decimal-to-binary rounding of the data (relative u), amplified like the sums
    double dr = 2 * rBound(x, y);
    assertClose(0.8164205163448398, c.r(), dr, "r");
    assertClose(0.002169628873078797, c.p(), pBound(c.r(), 11, c.p(), dr), "p");
    assertEquals(11, c.n());
    CorrelationResult s = Correlation.spearman(x, y);
    double ds = 4 * (11 + 4) * U * 3;
    assertClose(9.0 / 11, s.r(), ds, "rho");
    assertClose(0.0020831448404786917, s.p(), pBound(s.r(), 11, s.p(), ds), "rho p");
  }

  @Test
  void tiesGetAverageRanks() {
    assertArrayEquals(new double[] {1, 3, 3, 5, 3},
        Correlation.ranks(new double[] {10, 20, 20, 30, 20}));
    assertArrayEquals(new double[] {2.5, 2.5, 4, 1},
        Correlation.ranks(new double[] {-0.0, 0.0, Double.POSITIVE_INFINITY, -1}));
    assertArrayEquals(new double[] {3.5, 3.5, 1.5, 1.5},
        Correlation.ranks(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}));
    // x ranks 1, 2.5, 2.5, 4; y ranks 1, 3, 2, 4: rho = 4.5 / sqrt(4.5 * 5) (scipy: p =
    // 0.05131670194948613)
    CorrelationResult c =
        Correlation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4});
    double want = 4.5 / Math.sqrt(22.5);
    double dr = 4 * 8 * U * 2;
    assertClose(want, c.r(), dr, "rho with ties");
    assertClose(0.05131670194948613, c.p(), pBound(c.r(), 4, c.p(), dr), "p with ties");
  }

  @Test
  void pValueIsTheStudentTFormula() {
    RandomStream rs = new RandomStream(31);
    for (int n : new int[] {3, 5, 12, 40, 300}) {
      double[] x = new double[n];
      double[] y = new double[n];
      rs.fillNormal(x, 0, n, 0.0, 1.0);
      rs.fillNormal(y, 0, n, 0.0, 1.0);
      for (int i = 0; i < n; i++) {
        y[i] += 0.3 * x[i];
      }
      CorrelationResult c = Correlation.pearson(x, y);
      double r = c.r();
      double t = r * Math.sqrt((n - 2) / ((1 - r) * (1 + r)));
      double viaT = Distributions.studentTTwoSidedP(t, n - 2);
      // both evaluate I_{1-r^2}((n-2)/2, 1/2); the t route adds the roundings of t^2 (4u)
      double tol = 2 * pBound(r, n, viaT, 0) + 8 * U * (n - 2) * viaT;
      assertClose(viaT, c.p(), tol, "n=" + n);
    }
  }

  @Test
  void invariances() {
    RandomStream rs = new RandomStream(32);
    int n = 50;
    double[] x = new double[n];
    double[] y = new double[n];
    rs.fillNormal(x, 0, n, 0.0, 1.0);
    rs.fillNormal(y, 0, n, 0.0, 1.0);
    double[] xa = new double[n];
    double[] yb = new double[n];
    double[] xm = new double[n];
    double[] ym = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] += 0.5 * x[i];
      xa[i] = 3 * x[i] + 7;
      yb[i] = 0.5 * y[i] - 2;
      xm[i] = Math.exp(x[i]);
      ym[i] = y[i] * y[i] * y[i] + y[i];
    }
    CorrelationResult base = Correlation.pearson(x, y);
    CorrelationResult affine = Correlation.pearson(xa, yb);
    // the affine map perturbs each value by u relative to its magnitude (|7| dominates)
    double dr = rBound(x, y) + rBound(xa, yb) + 8 * n * U * 10;
    assertClose(base.r(), affine.r(), dr, "Pearson under positive affine maps");
    assertClose(base.p(), affine.p(), 2 * pBound(base.r(), n, base.p(), dr), "p affine");
    for (int i = 0; i < n; i++) {
      xa[i] = -xa[i];
    }
    assertClose(-base.r(), Correlation.pearson(xa, yb).r(), dr, "negative scale flips r");
    CorrelationResult rho = Correlation.spearman(x, y);
    CorrelationResult rhoMapped = Correlation.spearman(xm, ym);
    assertEquals(rho.r(), rhoMapped.r(), "Spearman under strictly increasing maps");
    assertEquals(rho.p(), rhoMapped.p());
  }

  /**
   * Under H0 (independent normals) the Pearson p-value is exactly uniform: the fraction below
   * 0.05 over 4000 samples must be within 5 binomial standard errors of 0.05. Spearman's t
   * approximation is close to uniform at n = 30.
   */
  @Test
  void pValuesAreCalibratedUnderTheNull() {
    RandomStream rs = new RandomStream(33);
    int trials = 4000;
    double[] x = new double[10];
    double[] y = new double[10];
    int pearsonHits = 0;
    for (int t = 0; t < trials; t++) {
      rs.fillNormal(x, 0, 10, 0.0, 1.0);
      rs.fillNormal(y, 0, 10, 0.0, 1.0);
      if (Correlation.pearson(x, y).p() < 0.05) {
        pearsonHits++;
      }
    }
    double se = Math.sqrt(0.05 * 0.95 / trials);
    assertTrue(Math.abs(pearsonHits / (double) trials - 0.05) < 5 * se, "Pearson " + pearsonHits);
    double[] u = new double[30];
    double[] v = new double[30];
    int spearmanHits = 0;
    for (int t = 0; t < trials; t++) {
      rs.fillNormal(u, 0, 30, 0.0, 1.0);
      rs.fillNormal(v, 0, 30, 0.0, 1.0);
      if (Correlation.spearman(u, v).p() < 0.05) {
        spearmanHits++;
      }
    }
    assertTrue(Math.abs(spearmanHits / (double) trials - 0.05) < 5 * se,
        "Spearman " + spearmanHits);
  }

  @Test
  void edgeCases() {
    double[] c = {2, 2, 2, 2};
    double[] y = {1, 2, 3, 4};
    CorrelationResult constant = Correlation.pearson(c, y);
    assertEquals(Double.NaN, constant.r());
    assertEquals(Double.NaN, constant.p());
    assertEquals(Double.NaN, Correlation.spearman(y, c).r());
    double[] three = {1, 2, 3};
    assertEquals(Double.NaN, Correlation.spearman(new double[] {1, 2, Double.NaN}, three).r());
    assertEquals(Double.NaN, Correlation.pearson(new double[] {1, 2, Double.NaN}, three).p());
    assertEquals(Double.NaN,
        Correlation.pearson(new double[] {1, 2, Double.POSITIVE_INFINITY}, three).r());
    assertEquals(1.0,
        Correlation.spearman(new double[] {1, 2, Double.POSITIVE_INFINITY}, three).r());
    assertThrows(IllegalArgumentException.class,
        () -> Correlation.pearson(new double[] {1, 2}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> Correlation.spearman(new double[] {1, 2, 3}, new double[] {1, 2}));
  }
}
