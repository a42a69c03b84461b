package org.tca.numerics.stats;

import java.util.Arrays;

/**
 * Pearson and Spearman correlation with two-sided p-values, in f64.
 *
 * <ul>
 *   <li>Pearson: r = sum dx_i dy_i / sqrt(sum dx_i^2 sum dy_i^2), d = deviation from the
 *       (corrected two-pass) mean, clamped to [-1, 1].
 *   <li>Spearman: rho = Pearson r of the ranks, ties given their average rank (as
 *       scipy.stats.spearmanr and R's cor(method = "spearman")).
 *   <li>p-value (both, as scipy): t = r sqrt((n - 2) / (1 - r^2)) has Student's t law with
 *       n - 2 degrees of freedom under H0, so p = P(|T| >= |t|) = I_{1-r^2}((n-2)/2, 1/2),
 *       evaluated with 1 - r^2 = (1 - |r|)(1 + |r|); p = 0 when |r| = 1. For Spearman this is
 *       the usual large-sample approximation (exact permutation p-values differ for tiny n).
 * </ul>
 *
 * <p>Edge cases: different lengths or n < 3 throw {@link IllegalArgumentException} (no p-value
 * exists for n = 2); a constant x or y gives r = p = NaN (the coefficient is 0/0); a NaN
 * anywhere gives r = p = NaN. Infinite values give NaN for Pearson; Spearman ranks them.
 */
public final class Correlation {

  private Correlation() {}

  /** Pearson's product-moment correlation and its two-sided p-value. */
  public static CorrelationResult pearson(double[] x, double[] y) {
    int n = checkPairs(x, y);
    if (Descriptive.hasNaN(x) || Descriptive.hasNaN(y) || isConstant(x) || isConstant(y)) {
      return new CorrelationResult(Double.NaN, Double.NaN, n);
    }
    double r = pearsonR(x, y);
    return new CorrelationResult(r, twoSidedP(r, n), n);
  }

  /** Spearman's rank correlation (average ranks for ties) and its two-sided t-approx p-value. */
  public static CorrelationResult spearman(double[] x, double[] y) {
    int n = checkPairs(x, y);
    if (Descriptive.hasNaN(x) || Descriptive.hasNaN(y) || isConstant(x) || isConstant(y)) {
      return new CorrelationResult(Double.NaN, Double.NaN, n);
    }
    double r = pearsonR(ranks(x), ranks(y));
    return new CorrelationResult(r, twoSidedP(r, n), n);
  }

  /**
   * Ranks 1..n of the values, ties sharing the mean of the ranks they occupy; -0.0 and 0.0 tie.
   * The input must not contain NaN.
   */
  public static double[] ranks(double[] x) {
    int n = x.length;
    double[] sorted = new double[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = x[i] + 0.0; // -0.0 + 0.0 == +0.0, so signed zeros tie
    }
    Arrays.sort(sorted);
    double[] ranks = new double[n];
    for (int i = 0; i < n; i++) {
      double v = x[i] + 0.0;
      int first = bound(sorted, v, false);
      int last = bound(sorted, v, true); // one past the last copy of v
      // 0-based positions first..last-1 hold v: ranks first+1..last, mean (first+1+last)/2
      ranks[i] = 0.5 * (first + 1 + last);
    }
    return ranks;
  }

  /** The first index whose value is >= v (> v if strict), for ascending sorted, NaN-free data. */
  private static int bound(double[] sorted, double v, boolean strict) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < v || (strict && sorted[mid] == v)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** r for non-constant, NaN-free x and y. */
  private static double pearsonR(double[] x, double[] y) {
    double mx = Descriptive.mean(x);
    double my = Descriptive.mean(y);
    double sxx = 0;
    double syy = 0;
    double sxy = 0;
    for (int i = 0; i < x.length; i++) {
      double dx = x[i] - mx;
      double dy = y[i] - my;
      sxx += dx * dx;
      syy += dy * dy;
      sxy += dx * dy;
    }
    // sqrt(sxx * syy) is exactly sxx when syy == sxx (so identical rankings give exactly 1);
    // fall back to the product of roots if the product over- or underflows.
    double denom = Math.sqrt(sxx * syy);
    if (!(denom > 0) || Double.isInfinite(denom)) {
      denom = Math.sqrt(sxx) * Math.sqrt(syy);
    }
    double r = sxy / denom;
    return Math.max(-1, Math.min(1, r));
  }

  /** P(|T| >= |t|), T ~ t(n-2), t = r sqrt((n-2)/(1-r^2)): I_{1-r^2}((n-2)/2, 1/2). */
  static double twoSidedP(double r, int n) {
    if (Double.isNaN(r)) {
      return Double.NaN;
    }
    double ar = Math.abs(r);
    if (ar == 1) {
      return 0;
    }
    return SpecialFunctions.regularizedBeta((1 - ar) * (1 + ar), ar * ar, 0.5 * (n - 2), 0.5);
  }

  private static boolean isConstant(double[] x) {
    for (double v : x) {
      if (v != x[0]) {
        return false;
      }
    }
    return true;
  }

  private static int checkPairs(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("x and y differ in length: " + x.length + " vs "
          + y.length);
    }
    if (x.length < 3) {
      throw new IllegalArgumentException("correlation p-values need n >= 3 pairs, got "
          + x.length);
    }
    return x.length;
  }
}
