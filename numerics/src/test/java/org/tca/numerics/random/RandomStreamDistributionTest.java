package org.tca.numerics.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tca.numerics.stats.Distributions;

/**
 * Statistical tests of {@link RandomStream}'s distributions. Seeds are fixed, so every test is
 * deterministic, but each threshold is a real quantile of the test statistic's null law at
 * tail probability {@link #ALPHA} (or 5 standard errors, two-sided 5.7e-7): a correct generator
 * passes with that probability per seed, and each test also shows that a slightly wrong
 * distribution fails it, so the thresholds have power.
 */
class RandomStreamDistributionTest {

  static final double ALPHA = 1e-6;
  static final double Z = 5;

  /** The x with P(chi2_k > x) = p, by bisection on the survival function. */
  static double chiSquareUpperQuantile(double p, int k) {
    double lo = 0;
    double hi = k + 50 * Math.sqrt(2.0 * k) + 100;
    for (int i = 0; i < 200; i++) {
      double mid = 0.5 * (lo + hi);
      if (Distributions.chiSquareSurvival(mid, k) > p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** Pearson's chi-square statistic of counts against equal expected counts. */
  static double chiSquare(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    double expected = (double) n / counts.length;
    double s = 0;
    for (long c : counts) {
      s += (c - expected) * (c - expected) / expected;
    }
    return s;
  }

  static long[] bin(double[] u, int bins) {
    long[] counts = new long[bins];
    for (double v : u) {
      counts[(int) (v * bins)]++;
    }
    return counts;
  }

  @Test
  void chiSquareThresholdIsTheRealQuantile() {
    // Checks of the helper against published chi-square table values (p = 0.05).
    assertEquals(3.841458820694124, chiSquareUpperQuantile(0.05, 1), 1e-9);
    assertEquals(18.307038053275146, chiSquareUpperQuantile(0.05, 10), 1e-9);
  }

  @Test
  void uniformDoublesHaveTheRightMomentsAndBins() {
    int n = 1_000_000;
    double[] u = new double[n];
    RandomStream r = new RandomStream(17);
    for (int i = 0; i < n; i++) {
      u[i] = r.nextDouble();
      assertTrue(u[i] >= 0 && u[i] < 1);
    }
    assertUniform(u);
    // Power: u^1.02 (a 2% distortion) must fail the bin test.
    double[] bent = u.clone();
    for (int i = 0; i < n; i++) {
      bent[i] = Math.pow(bent[i], 1.02);
    }
    assertTrue(chiSquare(bin(bent, 100)) > chiSquareUpperQuantile(ALPHA, 99));
  }

  @Test
  void uniformFloatsAndFillsHaveTheRightBins() {
    int n = 400_000;
    float[] f = new float[n];
    RandomStream r = new RandomStream(18);
    for (int i = 0; i < n; i++) {
      f[i] = r.nextFloat();
    }
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = f[i];
    }
    assertUniform(u);
    float[] g = new float[n];
    new RandomStream(19).fillUniform(g, 0, n, -3f, 5f);
    for (int i = 0; i < n; i++) {
      assertTrue(g[i] >= -3f && g[i] < 5f);
      u[i] = (g[i] + 3.0) / 8.0;
    }
    assertUniform(u);
    double[] d = new double[n];
    new RandomStream(20).fillUniform(d, 0, n, 10.0, 12.0);
    for (int i = 0; i < n; i++) {
      assertTrue(d[i] >= 10.0 && d[i] < 12.0);
      u[i] = (d[i] - 10.0) / 2.0;
    }
    assertUniform(u);
  }

  /** Mean 1/2 (var 1/12), variance 1/12 (var of (u - 1/2)^2 is 1/180), 100 equal bins. */
  static void assertUniform(double[] u) {
    int n = u.length;
    double mean = 0;
    for (double v : u) {
      mean += v;
    }
    mean /= n;
    double m2 = 0;
    for (double v : u) {
      m2 += (v - 0.5) * (v - 0.5);
    }
    m2 /= n;
    assertTrue(Math.abs(mean - 0.5) < Z * Math.sqrt(1.0 / 12 / n), "mean " + mean);
    assertTrue(Math.abs(m2 - 1.0 / 12) < Z * Math.sqrt(1.0 / 180 / n), "variance " + m2);
    double chi2 = chiSquare(bin(u, 100));
    assertTrue(chi2 < chiSquareUpperQuantile(ALPHA, 99), "chi-square " + chi2);
  }

  /**
   * Mean, variance, skewness and excess kurtosis of 10^6 normals against 0, 1, 0, 0 with their
   * large-sample standard errors sqrt(1/n), sqrt(2/n), sqrt(6/n), sqrt(24/n).
   */
  @Test
  void normalMomentsMatch() {
    int n = 1_000_000;
    RandomStream r = new RandomStream(21);
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    for (int i = 0; i < n; i++) {
      double z = r.nextGaussian();
      double z2 = z * z;
      s1 += z;
      s2 += z2;
      s3 += z2 * z;
      s4 += z2 * z2;
    }
    double mean = s1 / n;
    double var = s2 / n;
    double skew = s3 / n;
    double exKurt = s4 / n - 3;
    assertTrue(Math.abs(mean) < Z * Math.sqrt(1.0 / n), "mean " + mean);
    assertTrue(Math.abs(var - 1) < Z * Math.sqrt(2.0 / n), "variance " + var);
    assertTrue(Math.abs(skew) < Z * Math.sqrt(6.0 / n), "skewness " + skew);
    assertTrue(Math.abs(exKurt) < Z * Math.sqrt(24.0 / n), "excess kurtosis " + exKurt);
  }

  /** Kolmogorov's asymptotic P(sqrt(n) D > x) with Stephens' finite-n correction. */
  static double kolmogorovSurvival(double d, int n) {
    double sn = Math.sqrt(n);
    double x = (sn + 0.12 + 0.11 / sn) * d;
    double sum = 0;
    for (int k = 1; k <= 100; k++) {
      sum += (k % 2 == 1 ? 2 : -2) * Math.exp(-2.0 * k * k * x * x);
    }
    return Math.max(0, Math.min(1, sum));
  }

  static double ksDistanceToNormal(double[] sample) {
    double[] x = sample.clone();
    Arrays.sort(x);
    int n = x.length;
    double d = 0;
    for (int i = 0; i < n; i++) {
      double f = Distributions.normalCdf(x[i]);
      d = Math.max(d, Math.max((i + 1.0) / n - f, f - (double) i / n));
    }
    return d;
  }

  @Test
  void normalPassesKolmogorovSmirnov() {
    int n = 100_000;
    double[] z = new double[n];
    new RandomStream(22).fillNormal(z, 0, n, 0.0, 1.0);
    double p = kolmogorovSurvival(ksDistanceToNormal(z), n);
    assertTrue(p > ALPHA, "KS p-value " + p);
    // Power: a 5% error in the standard deviation must fail.
    for (int i = 0; i < n; i++) {
      z[i] *= 1.05;
    }
    assertTrue(kolmogorovSurvival(ksDistanceToNormal(z), n) < ALPHA);
    // The f32 fill with mean and sd, standardised, passes too.
    float[] f = new float[n];
    new RandomStream(23).fillNormal(f, 0, n, 3.0f, 2.0f);
    for (int i = 0; i < n; i++) {
      z[i] = (f[i] - 3.0) / 2.0;
    }
    assertTrue(kolmogorovSurvival(ksDistanceToNormal(z), n) > ALPHA);
  }

  /**
   * bound = 3 * 2^29: a modulo reduction of 32 random bits would put P(x < 2^30) at 3/4 instead
   * of 2/3, and a multiply-shift without rejection P(x mod 3 == 2) at 1/4 instead of 1/3; both
   * are checked to 5 binomial standard errors, plus a chi-square over a small bound.
   */
  @Test
  void nextIntIsUnbiased() {
    int bound = 3 << 29;
    int n = 300_000;
    RandomStream r = new RandomStream(24);
    long low = 0;
    long mod2 = 0;
    for (int i = 0; i < n; i++) {
      int x = r.nextInt(bound);
      assertTrue(x >= 0 && x < bound);
      if (x < (1 << 30)) {
        low++;
      }
      if (x % 3 == 2) {
        mod2++;
      }
    }
    assertBinomial(low, n, 2.0 / 3);
    assertBinomial(mod2, n, 1.0 / 3);

    for (int b : new int[] {7, 10, 1000}) {
      long[] counts = new long[b];
      for (int i = 0; i < 200 * b + 100_000; i++) {
        counts[r.nextInt(b)]++;
      }
      assertTrue(chiSquare(counts) < chiSquareUpperQuantile(ALPHA, b - 1), "bound " + b);
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(0, r.nextInt(1));
      int x = r.nextInt(Integer.MAX_VALUE);
      assertTrue(x >= 0 && x < Integer.MAX_VALUE);
    }
  }

  static void assertBinomial(long hits, int n, double p) {
    double se = Math.sqrt(p * (1 - p) / n);
    double got = (double) hits / n;
    assertTrue(Math.abs(got - p) < Z * se, "frequency " + got + " vs " + p);
  }

  @Test
  void rademacherIsBalancedAndUncorrelated() {
    int n = 1_000_000;
    RandomStream r = new RandomStream(25);
    long plus = 0;
    for (int i = 0; i < n; i++) {
      int s = r.nextRademacher();
      assertTrue(s == 1 || s == -1);
      if (s == 1) {
        plus++;
      }
    }
    assertBinomial(plus, n, 0.5);
    double[] d = new double[n];
    new RandomStream(26).fillRademacher(d, 0, n);
    double sum = 0;
    double lag1 = 0;
    double lag64 = 0;
    for (int i = 0; i < n; i++) {
      assertTrue(d[i] == 1.0 || d[i] == -1.0);
      sum += d[i];
      if (i > 0) {
        lag1 += d[i] * d[i - 1];
      }
      if (i >= 64) {
        lag64 += d[i] * d[i - 64];
      }
    }
    double bound = Z * Math.sqrt(n);
    assertTrue(Math.abs(sum) < bound, "sum " + sum);
    assertTrue(Math.abs(lag1) < bound, "lag-1 sum " + lag1);
    assertTrue(Math.abs(lag64) < bound, "lag-64 sum " + lag64);
  }

  @Test
  void shuffleGivesPermutationsUniformly() {
    RandomStream r = new RandomStream(27);
    for (int n : new int[] {0, 1, 2, 5, 100, 1000}) {
      int[] p = r.permutation(n);
      int[] sorted = p.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < n; i++) {
        assertEquals(i, sorted[i]);
      }
    }
    int[] a = {9, 0, 1, 2, 3, 4, 9};
    r.shuffle(a, 1, 5);
    assertEquals(9, a[0]);
    assertEquals(9, a[6]);
    int[] middle = Arrays.copyOfRange(a, 1, 6);
    Arrays.sort(middle);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, middle);

    // All 24 orders of 4 items equally likely (a classic off-by-one shuffle fails this).
    long[] counts = new long[24];
    int[] q = new int[4];
    for (int t = 0; t < 240_000; t++) {
      for (int i = 0; i < 4; i++) {
        q[i] = i;
      }
      r.shuffle(q);
      counts[lehmerIndex(q)]++;
    }
    assertTrue(chiSquare(counts) < chiSquareUpperQuantile(ALPHA, 23), "chi-square");
  }

  /** The rank of a permutation of 0..3 in 0..23 (Lehmer code). */
  static int lehmerIndex(int[] p) {
    int index = 0;
    for (int i = 0; i < p.length; i++) {
      int smaller = 0;
      for (int j = i + 1; j < p.length; j++) {
        if (p[j] < p[i]) {
          smaller++;
        }
      }
      index = index * (p.length - i) + smaller;
    }
    return index;
  }
}
