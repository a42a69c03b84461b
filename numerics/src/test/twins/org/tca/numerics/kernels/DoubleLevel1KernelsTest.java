package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.kernels.DoubleKernelTesting.SIZES;
import static org.tca.numerics.kernels.DoubleKernelTesting.X_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.Y_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.Z_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.assertUntouchedOutside;
import static org.tca.numerics.kernels.DoubleKernelTesting.assertWithin;
import static org.tca.numerics.kernels.DoubleKernelTesting.gamma;
import static org.tca.numerics.kernels.DoubleKernelTesting.gammaD;
import static org.tca.numerics.kernels.DoubleKernelTesting.kernels;
import static org.tca.numerics.kernels.DoubleKernelTesting.spread;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Level-1 kernels of both providers against double references, at every awkward size with
 * nonzero offsets. Bounds (Higham, Accuracy and Stability, ch. 2-3), each the kernel's error in
 * the storage precision plus the reference's in double:
 * <ul>
 *   <li>y + alpha x and alpha x + beta y: two roundings per element with or without a fused
 *       multiply-add, |err| &lt;= gamma_2 (|alpha x| + |beta y|);</li>
 *   <li>alpha x and x .* y: one rounding, |err| &lt;= gamma_1 |alpha x|;</li>
 *   <li>sum_i x_i y_i and sum_i x_i^2: |err| &lt;= gamma_n sum_i |x_i y_i|, and sum_i x_i:
 *       gamma_(n-1) sum_i |x_i|, in any summation order (vector lanes, several accumulators,
 *       fused or separate multiply);</li>
 *   <li>max_i |x_i| is exact.</li>
 * </ul>
 */
class DoubleLevel1KernelsTest {

  private static final double ALPHA = -0.7d;
  private static final double BETA = 1.3d;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void elementwiseUpdatesMeetTheirBounds(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(1);
    for (int n : SIZES) {
      double[] x = spread(rnd, X_OFF, n, 10, 1);
      double[] y0 = spread(rnd, Y_OFF, n, 10, 1);
      double[] x0 = x.clone();

      double[] y = y0.clone();
      k.axpy(n, ALPHA, x, X_OFF, y, Y_OFF);
      for (int i = 0; i < n; i++) {
        double ax = (double) ALPHA * x0[X_OFF + i];
        double yi = y0[Y_OFF + i];
        assertWithin(yi + ax, y[Y_OFF + i], (gamma(2) + gammaD(2)) * (Math.abs(ax) + Math.abs(yi)),
            provider + " axpy n=" + n + " i=" + i);
      }
      assertUntouchedOutside(y0, y, Y_OFF, n, provider + " axpy n=" + n);

      y = y0.clone();
      k.axpby(n, ALPHA, x, X_OFF, BETA, y, Y_OFF);
      for (int i = 0; i < n; i++) {
        double ax = (double) ALPHA * x0[X_OFF + i];
        double by = (double) BETA * y0[Y_OFF + i];
        assertWithin(ax + by, y[Y_OFF + i], (gamma(2) + gammaD(2)) * (Math.abs(ax) + Math.abs(by)),
            provider + " axpby n=" + n + " i=" + i);
      }
      assertUntouchedOutside(y0, y, Y_OFF, n, provider + " axpby n=" + n);

      double[] z0 = spread(rnd, Z_OFF, n, 0, 1);
      double[] z = z0.clone();
      k.mul(n, x, X_OFF, y0, Y_OFF, z, Z_OFF);
      for (int i = 0; i < n; i++) {
        double xy = (double) x0[X_OFF + i] * y0[Y_OFF + i];
        assertWithin(xy, z[Z_OFF + i], (gamma(1) + gammaD(1)) * Math.abs(xy),
            provider + " mul n=" + n + " i=" + i);
      }
      assertUntouchedOutside(z0, z, Z_OFF, n, provider + " mul n=" + n);
      assertArrayEquals(x0, x, provider + " inputs of axpy/axpby/mul were modified");

      k.scale(n, ALPHA, x, X_OFF);
      for (int i = 0; i < n; i++) {
        double ax = (double) ALPHA * x0[X_OFF + i];
        assertWithin(ax, x[X_OFF + i], (gamma(1) + gammaD(1)) * Math.abs(ax),
            provider + " scale n=" + n + " i=" + i);
      }
      assertUntouchedOutside(x0, x, X_OFF, n, provider + " scale n=" + n);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void mulMayOverwriteEitherInput(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(2);
    for (int n : SIZES) {
      double[] x = spread(rnd, X_OFF, n, 4, 1);
      double[] y = spread(rnd, Y_OFF, n, 4, 1);
      double[] x0 = x.clone();
      double[] y0 = y.clone();
      k.mul(n, x, X_OFF, y, Y_OFF, x, X_OFF);
      k.mul(n, x0, X_OFF, y, Y_OFF, y, Y_OFF);
      for (int i = 0; i < n; i++) {
        double xy = (double) x0[X_OFF + i] * y0[Y_OFF + i];
        double tol = (gamma(1) + gammaD(1)) * Math.abs(xy);
        assertWithin(xy, x[X_OFF + i], tol, provider + " mul into x n=" + n + " i=" + i);
        assertWithin(xy, y[Y_OFF + i], tol, provider + " mul into y n=" + n + " i=" + i);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void reductionsMeetTheirBounds(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(3);
    // 1e14 with 2^12 spread: |products| <= 1.6e35, so no partial sum of 1024 terms overflows f64.
    for (double scale : new double[] {1, 1e14}) {
      for (int n : SIZES) {
        double[] x = spread(rnd, X_OFF, n, 12, scale);
        double[] y = spread(rnd, Y_OFF, n, 12, scale);
        double[] x0 = x.clone();
        double[] y0 = y.clone();
        checkReductions(k, n, x, y, provider + " scale=" + scale + " n=" + n);
        assertArrayEquals(x0, x, provider + " reductions modified x");
        assertArrayEquals(y0, y, provider + " reductions modified y");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void cancellingSumsStayWithinTheirBounds(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(4);
    for (int n : SIZES) {
      // Each large value is followed by its negative, so the exact sums are tiny next to the
      // sums of magnitudes the bounds scale with.
      double[] x = spread(rnd, X_OFF, n, 20, 1);
      for (int i = 1; i < n; i += 2) {
        x[X_OFF + i] = -x[X_OFF + i - 1] * (i % 4 == 1 ? 1 : 1.5d);
      }
      double[] y = spread(rnd, Y_OFF, n, 0, 1);
      checkReductions(k, n, x, y, provider + " cancelling n=" + n);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void emptyAndSingletonReductions(String provider) {
    DoubleKernels k = kernels(provider);
    double[] x = {9d, -2.5d, 9d};
    assertEquals(0d, k.dot(0, x, 1, x, 1));
    assertEquals(0d, k.sum(0, x, 1));
    assertEquals(0d, k.sumSquares(0, x, 1));
    assertEquals(0d, k.maxAbs(0, x, 1));
    assertEquals(6.25d, k.dot(1, x, 1, x, 1));
    assertEquals(-2.5d, k.sum(1, x, 1));
    assertEquals(6.25d, k.sumSquares(1, x, 1));
    assertEquals(2.5d, k.maxAbs(1, x, 1));
    assertEquals(2.5d, k.norm2(1, x, 1));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void maxAbsPropagatesNanAndInfinityFromAnyPosition(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(5);
    for (int n : SIZES) {
      double[] x = spread(rnd, X_OFF, n, 8, 1);
      for (int at : new int[] {0, n / 3, n / 2, n - 1}) {
        double saved = x[X_OFF + at];
        x[X_OFF + at] = Double.NaN;
        assertTrue(Double.isNaN(k.maxAbs(n, x, X_OFF)), provider + " NaN at " + at + " n=" + n);
        x[X_OFF + at] = Double.NEGATIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, k.maxAbs(n, x, X_OFF), provider + " -Inf n=" + n);
        x[X_OFF + at] = -0.0d;
        assertTrue(k.maxAbs(n, x, X_OFF) >= 0, provider + " -0 n=" + n);
        x[X_OFF + at] = saved;
      }
      // NaNs just outside the range must not leak in.
      x[X_OFF - 1] = Double.NaN;
      x[X_OFF + n] = Double.NaN;
      assertTrue(Double.isFinite(k.maxAbs(n, x, X_OFF)), provider + " read outside n=" + n);
    }
  }

  private static void checkReductions(DoubleKernels k, int n, double[] x, double[] y, String what) {
    double dot = 0;
    double absDot = 0;
    double sum = 0;
    double absSum = 0;
    double sq = 0;
    double max = 0;
    for (int i = 0; i < n; i++) {
      double xi = x[X_OFF + i];
      double xy = xi * y[Y_OFF + i];
      dot += xy;
      absDot += Math.abs(xy);
      sum += xi;
      absSum += Math.abs(xi);
      sq += xi * xi;
      max = Math.max(max, Math.abs(xi));
    }
    // In double the n products are rounded too (exact only for f64 inputs), hence gammaD(n).
    assertWithin(dot, k.dot(n, x, X_OFF, y, Y_OFF), (gamma(n) + gammaD(n)) * absDot,
        what + " dot");
    assertWithin(sum, k.sum(n, x, X_OFF), (gamma(n - 1) + gammaD(n - 1)) * absSum, what + " sum");
    assertWithin(sq, k.sumSquares(n, x, X_OFF), (gamma(n) + gammaD(n)) * sq, what + " sumSquares");
    assertEquals((double) max, k.maxAbs(n, x, X_OFF), what + " maxAbs");
    double norm = Math.sqrt(sq);
    // sqrt of a value with relative error gamma_n: relative error gamma_n / 2 + 1 rounding.
    assertWithin(norm, k.norm2(n, x, X_OFF), (gamma(n + 2) + gammaD(n + 2)) * norm,
        what + " norm2");
  }
}
