package org.tca.numerics.stats;

import java.util.Arrays;

/**
 * Descriptive statistics of a double[] sample x_1..x_n, in f64.
 *
 * <ul>
 *   <li>mean: m0 = sum x_i / n, refined by one corrective pass m = m0 + sum (x_i - m0) / n.
 *   <li>variance (unbiased, n - 1): s^2 = (sum d_i^2 - (sum d_i)^2 / n) / (n - 1), d_i = x_i - m
 *       (the corrected two-pass algorithm); sd = sqrt(s^2).
 *   <li>quantile(p), 0 <= p <= 1: type 7 of Hyndman and Fan (the default of R and numpy): with the
 *       sorted sample x_(0) <= ... <= x_(n-1), h = (n - 1) p, j = floor(h), g = h - j, Q(p) =
 *       x_(j) + g (x_(j+1) - x_(j)) (evaluated as numpy does: x_(j+1) - (1 - g) (x_(j+1) - x_(j))
 *       when g >= 1/2). median = quantile(1/2).
 *   <li>min, max.
 * </ul>
 *
 * <p>Empty input throws {@link IllegalArgumentException} (as does variance of one value).
 * NaN policy: a NaN anywhere in the input makes every result NaN (as numpy's non-nan functions;
 * use a nan-filtered copy to ignore them). Infinite values follow IEEE arithmetic (e.g. the mean
 * of +inf and a finite value is +inf, the variance NaN). The input arrays are never modified.
 */
public final class Descriptive {

  private Descriptive() {}

  /** The arithmetic mean (two-pass corrected). */
  public static double mean(double[] x) {
    int n = checkNonEmpty(x);
    double sum = 0;
    for (double v : x) {
      sum += v;
    }
    double m = sum / n;
    if (Double.isFinite(m)) {
      double c = 0;
      for (double v : x) {
        c += v - m;
      }
      return m + c / n;
    }
    if (Double.isNaN(m)) {
      return m;
    }
    // The sum overflowed, or an input is infinite: sum x_i / n cannot overflow for finite x_i.
    double scaled = 0;
    for (double v : x) {
      scaled += v / n;
    }
    return scaled;
  }

  /** The unbiased sample variance (divisor n - 1); needs n >= 2. */
  public static double variance(double[] x) {
    int n = checkNonEmpty(x);
    if (n < 2) {
      throw new IllegalArgumentException("variance needs at least 2 values, got 1");
    }
    double m = mean(x);
    if (!Double.isFinite(m)) {
      return Double.NaN;
    }
    double sumSq = 0;
    double sum = 0;
    for (double v : x) {
      double d = v - m;
      sum += d;
      sumSq += d * d;
    }
    return Math.max(0, (sumSq - sum * sum / n) / (n - 1));
  }

  /** The sample standard deviation sqrt(variance), divisor n - 1; needs n >= 2. */
  public static double standardDeviation(double[] x) {
    return Math.sqrt(variance(x));
  }

  /** The smallest value (NaN if any value is NaN). */
  public static double min(double[] x) {
    checkNonEmpty(x);
    double r = x[0];
    for (double v : x) {
      r = Math.min(r, v);
    }
    return r;
  }

  /** The largest value (NaN if any value is NaN). */
  public static double max(double[] x) {
    checkNonEmpty(x);
    double r = x[0];
    for (double v : x) {
      r = Math.max(r, v);
    }
    return r;
  }

  /** The median: quantile(x, 0.5), the mean of the two middle values for even n. */
  public static double median(double[] x) {
    return quantile(x, 0.5);
  }

  /** The type-7 quantile at probability p in [0, 1] (see the class comment). */
  public static double quantile(double[] x, double p) {
    checkNonEmpty(x);
    checkProbability(p);
    if (hasNaN(x)) {
      return Double.NaN;
    }
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    return quantileOfSorted(sorted, p);
  }

  /** Type-7 quantiles at several probabilities, sorting the sample once. */
  public static double[] quantiles(double[] x, double... ps) {
    checkNonEmpty(x);
    for (double p : ps) {
      checkProbability(p);
    }
    double[] out = new double[ps.length];
    if (hasNaN(x)) {
      Arrays.fill(out, Double.NaN);
      return out;
    }
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < ps.length; i++) {
      out[i] = quantileOfSorted(sorted, ps[i]);
    }
    return out;
  }

  /**
   * The type-7 quantile of an already ascending-sorted, NaN-free, non-empty array (not
   * checked beyond its length and p).
   */
  public static double quantileOfSorted(double[] sorted, double p) {
    int n = checkNonEmpty(sorted);
    checkProbability(p);
    double h = (n - 1) * p;
    int j = (int) Math.floor(h);
    if (j >= n - 1) {
      return sorted[n - 1];
    }
    double g = h - j;
    double lo = sorted[j];
    double hi = sorted[j + 1];
    if (g == 0 || lo == hi) {
      return lo;
    }
    double diff = hi - lo;
    return g >= 0.5 ? hi - diff * (1 - g) : lo + diff * g;
  }

  static boolean hasNaN(double[] x) {
    for (double v : x) {
      if (Double.isNaN(v)) {
        return true;
      }
    }
    return false;
  }

  private static int checkNonEmpty(double[] x) {
    if (x.length == 0) {
      throw new IllegalArgumentException("empty sample");
    }
    return x.length;
  }

  private static void checkProbability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1]: " + p);
    }
  }
}
