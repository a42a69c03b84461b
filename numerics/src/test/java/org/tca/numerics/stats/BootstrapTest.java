package org.tca.numerics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tca.numerics.random.RandomStream;

/**
 * {@link Bootstrap}: determinism, agreement with normal theory for the mean, 1/sqrt(n)
 * shrinkage and coverage.
 */
class BootstrapTest {

  static double[] normalSample(long seed, int n, double mean, double sd) {
    double[] x = new double[n];
    new RandomStream(seed).fillNormal(x, 0, n, mean, sd);
    return x;
  }

  @Test
  void deterministicForAStreamAndDoesNotAdvanceIt() {
    double[] x = normalSample(1, 100, 5.0, 2.0);
    RandomStream s = new RandomStream(77);
    BootstrapInterval a = Bootstrap.percentileMean(x, 500, 0.95, s);
    assertEquals(0, s.position(), "the stream is not advanced");
    BootstrapInterval b = Bootstrap.percentileMean(x, 500, 0.95, new RandomStream(77));
    assertEquals(a, b);
    BootstrapInterval c = Bootstrap.percentileMean(x, 500, 0.95, new RandomStream(78));
    assertNotEquals(a.lo(), c.lo());
    assertEquals(Descriptive.mean(x), a.estimate());
    assertEquals(0.95, a.level());
    assertEquals(500, a.resamples());
    assertTrue(a.lo() < a.estimate() && a.estimate() < a.hi());
  }

  /** Resample b is drawn from stream.child(b): B = 1 is the statistic of that one resample. */
  @Test
  void resampleIsDrawnFromTheChildStream() {
    double[] x = {1, 2, 3, 4, 5, 6, 7};
    RandomStream s = new RandomStream(5);
    RandomStream c = s.child(0);
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += x[c.nextInt(x.length)];
    }
    double[] resample = new double[x.length];
    c = s.child(0);
    for (int i = 0; i < x.length; i++) {
      resample[i] = x[c.nextInt(x.length)];
    }
    BootstrapInterval one = Bootstrap.percentileMean(x, 1, 0.9, s);
    assertEquals(Descriptive.mean(resample), one.lo());
    assertEquals(one.lo(), one.hi());
    assertTrue(Math.abs(sum / x.length - one.lo()) < 1e-14);
  }

  /**
   * For the mean of n = 400 normals the bootstrap distribution is close to N(xbar, s_n^2 / n),
   * s_n^2 = (n-1)/n s^2, so the 95% interval is about xbar +- 1.96 s_n / sqrt(n). With B = 4000
   * the Monte Carlo standard error of each endpoint is sqrt(p(1-p)/B) / phi(1.96) = 0.060 in
   * units of s_n / sqrt(n); endpoints are checked to 5 of those (0.3) plus 0.05 for the
   * skewness/kurtosis of a finite-sample bootstrap distribution (O(1/sqrt(n)) terms).
   */
  @Test
  void meanIntervalMatchesNormalTheory() {
    int n = 400;
    double[] x = normalSample(2, n, 10.0, 3.0);
    BootstrapInterval ci = Bootstrap.percentileMean(x, 4000, 0.95, new RandomStream(9));
    double se = Descriptive.standardDeviation(x) * Math.sqrt((n - 1.0) / n) / Math.sqrt(n);
    double z = Distributions.normalQuantile(0.975);
    double mean = Descriptive.mean(x);
    double tol = (5 * 0.060 + 0.05) * se;
    assertTrue(Math.abs(ci.lo() - (mean - z * se)) < tol, "lo " + ci.lo());
    assertTrue(Math.abs(ci.hi() - (mean + z * se)) < tol, "hi " + ci.hi());
    assertTrue(ci.contains(10.0), "contains the true mean: " + ci);
    // power: the interval is not merely wide: xbar +- 2.5 se lie outside it
    assertTrue(!ci.contains(mean + 2.5 * se) && !ci.contains(mean - 2.5 * se));
  }

  /**
   * Width / (s / sqrt(n)) is 2 z sqrt((n-1)/n) ~ 3.92 for every n, i.e. the width shrinks as
   * s / sqrt(n).
   */
  @Test
  void widthShrinksLikeOneOverSqrtN() {
    double z = Distributions.normalQuantile(0.975);
    double[] widths = new double[3];
    int[] sizes = {100, 400, 1600};
    for (int k = 0; k < sizes.length; k++) {
      int n = sizes[k];
      double[] x = normalSample(10 + k, n, 0.0, 1.0);
      BootstrapInterval ci = Bootstrap.percentileMean(x, 2000, 0.95, new RandomStream(20 + k));
      widths[k] = ci.width();
      double scaled = ci.width() / (Descriptive.standardDeviation(x) / Math.sqrt(n));
      double want = 2 * z * Math.sqrt((n - 1.0) / n);
      // The Monte Carlo standard error of the width at B = 2000 is sqrt(2) * 0.060 = 0.085
      // (units of s / sqrt(n)); 5 of those, plus 0.1 for the non-normality of the bootstrap
      // distribution at n = 100.
      assertTrue(Math.abs(scaled - want) < 5 * 0.085 + 0.1, "n=" + n + ": " + scaled);
    }
    // Raw widths halve for each quadrupling of n (up to the sampling noise of s).
    assertTrue(widths[0] > widths[1] && widths[1] > widths[2]);
  }

  /**
   * Coverage of the 90% percentile interval of the mean, n = 50 normals, over 400 samples:
   * within 5 binomial standard errors (0.075) of the nominal 0.90 less the known small-sample
   * undercoverage of the percentile method (about 0.01 at n = 50).
   */
  @Test
  void coverageIsNearNominal() {
    RandomStream root = new RandomStream(40);
    int trials = 400;
    int covered = 0;
    double[] x = new double[50];
    for (int t = 0; t < trials; t++) {
      root.child(t).fillNormal(x, 0, x.length, 1.0, 1.0);
      if (Bootstrap.percentileMean(x, 400, 0.9, root.child(t + trials)).contains(1.0)) {
        covered++;
      }
    }
    double rate = covered / (double) trials;
    double se = Math.sqrt(0.9 * 0.1 / trials);
    assertTrue(Math.abs(rate - 0.89) < 5 * se, "coverage " + rate);
  }

  @Test
  void customStatisticMaySortItsScratchButNotTheData() {
    double[] x = normalSample(3, 101, 0.0, 1.0);
    double[] copy = x.clone();
    BootstrapInterval med = Bootstrap.percentile(x, s -> {
      java.util.Arrays.sort(s);
      return s[s.length / 2];
    }, 300, 0.8, new RandomStream(4));
    assertArrayEquals(copy, x);
    assertEquals(Descriptive.median(x), med.estimate());
    assertTrue(med.lo() <= med.estimate() && med.estimate() <= med.hi());
    BootstrapInterval nan = Bootstrap.percentile(x, s -> Double.NaN, 10, 0.9, new RandomStream(4));
    assertEquals(Double.NaN, nan.lo());
    assertEquals(Double.NaN, nan.hi());
  }

  @Test
  void rejectsBadArguments() {
    RandomStream s = new RandomStream(1);
    double[] x = {1, 2, 3};
    assertThrows(IllegalArgumentException.class,
        () -> Bootstrap.percentileMean(new double[0], 10, 0.9, s));
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentileMean(x, 0, 0.9, s));
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentileMean(x, 10, 1.0, s));
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentileMean(x, 10, 0.0, s));
    assertThrows(NullPointerException.class, () -> Bootstrap.percentileMean(x, 10, 0.9, null));
  }
}
