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
import static org.tca.numerics.kernels.DoubleKernelTesting.uniform;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The thresholding and gathering kernels of both providers, at every awkward size with nonzero
 * offsets:
 * <ul>
 *   <li>threshold and nonzeroIndices are single IEEE operations in a fixed order (comparisons,
 *       abs, max, one division, products and sums without fusing), so both providers must equal,
 *       bit for bit, the equations of {@link DoubleKernels#threshold} written out here in the
 *       storage type, for every split between non-adapting and adapting units (none, inside a
 *       vector, at a vector boundary, all), with hold-off counters running;</li>
 *   <li>mulNonzero: the product's bits and exactly its nonzeros (not -0, not an underflow to 0;
 *       NaN counts), ascending;</li>
 *   <li>gatherRows y = beta y + sum_q x_(idx_q) A[idx_q, :]: count + 1 roundings per element with
 *       or without fused multiply-adds, |err| &lt;= gamma_(count+1) (|beta y| + sum_q |x a|)
 *       against a double reference; and both providers, bit for bit, beta y (0 when beta = 0)
 *       followed by one fused multiply-add per listed row in list order, whatever the register
 *       blocking (1000 = 17 x 7 + 6 vectors of 8 lanes meets every block the vector kernel
 *       has).</li>
 * </ul>
 */
class DoubleThresholdKernelsTest {

  private static final double THETA = 0.6d;
  private static final double BETA = 1.7d;
  private static final double RHO = 0.995d;
  private static final double C = 0.5d;
  private static final int HOLD = 3;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void thresholdIsItsEquationsExactly(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(7);
    int fired = 0;
    int held = 0;
    for (int n : SIZES) {
      for (int first : new int[] {0, 1, n / 2, n / 2 + 3, 8 * (n / 16), n - 1, n}) {
        double[] v = uniform(rnd, X_OFF, n, -0.5, 1.8);
        double[] aPrev = uniform(rnd, Y_OFF, n, 0, 0.6);
        double[] zPrev = array(Z_OFF, n, rnd, 0.3, 1d);
        int[] h0 = new int[Z_OFF + n + 5];
        for (int i = 0; i < n; i++) {
          h0[Z_OFF + i] = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(HOLD) : 0;
        }
        double[] a0 = uniform(rnd, X_OFF, n, 0, 1);
        double[] a = a0.clone();
        double[] z0 = uniform(rnd, Y_OFF, n, 0, 1);
        double[] d0 = uniform(rnd, Z_OFF, n, 0, 1);
        double[] z = z0.clone();
        double[] d = d0.clone();
        int[] h = h0.clone();
        int[] events = new int[n + 7];
        int count = k.threshold(n, first, THETA, BETA, RHO, C, HOLD, v, X_OFF, aPrev, Y_OFF, a,
            X_OFF, zPrev, Z_OFF, z, Y_OFF, d, Z_OFF, h, Z_OFF, events, 2);
        String what = provider + " n=" + n + " first=" + first;
        int expectedCount = 2;
        for (int i = 0; i < n; i++) {
          double margin = v[X_OFF + i] - THETA;
          if (i >= first) {
            double ai = RHO * aPrev[Y_OFF + i] + zPrev[Z_OFF + i];
            assertEquals(ai, a[X_OFF + i], what + " a i=" + i);
            margin = margin - BETA * ai;
          } else {
            assertEquals(a0[X_OFF + i], a[X_OFF + i], what + " a untouched below first, i=" + i);
          }
          boolean holding = h0[Z_OFF + i] > 0;
          boolean fires = !holding && margin > 0d;
          assertEquals(fires ? 1d : 0d, z[Y_OFF + i], what + " z i=" + i);
          double psi = holding ? 0d : C * Math.max(0d, 1d - Math.abs(margin) / THETA);
          assertEquals(psi, d[Z_OFF + i], what + " d i=" + i);
          int hold = holding ? h0[Z_OFF + i] - 1 : fires ? HOLD : 0;
          assertEquals(hold, h[Z_OFF + i], what + " h i=" + i);
          if (fires) {
            assertEquals(i, events[expectedCount++], what + " event list");
          }
          fired += fires ? 1 : 0;
          held += holding ? 1 : 0;
        }
        assertEquals(expectedCount, count, what + " count");
        assertUntouchedOutside(z0, z, Y_OFF, n, what + " z");
        assertUntouchedOutside(d0, d, Z_OFF, n, what + " d");
        assertUntouchedOutside(a0, a, X_OFF, n, what + " a");
        int[] noEvents = h0.clone();
        assertEquals(5, k.threshold(n, first, THETA, BETA, RHO, C, HOLD, v, X_OFF, aPrev, Y_OFF,
            a0.clone(), X_OFF, zPrev, Z_OFF, z, Y_OFF, d, Z_OFF, noEvents, Z_OFF, null, 5),
            what + " without a list the count is returned unchanged");
        assertArrayEquals(h, noEvents, what + " counters without a list");
      }
    }
    // the inputs exercise both outcomes often
    assertTrue(fired > 1000 && held > 1000, "fired " + fired + ", held " + held);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void nonzeroIndicesListsExactlyTheNonzeros(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(8);
    for (int n : SIZES) {
      double[] x = array(X_OFF, n, rnd, 0.2, 0d);
      for (int i = 0; i < n; i++) {
        int kind = rnd.nextInt(10);
        x[X_OFF + i] = kind == 0 ? -0d : kind == 1 ? Double.NaN : kind == 2 ? -3d
            : kind == 3 ? Double.MIN_VALUE : 0d;
      }
      int[] got = {-7, -7, -7, -7}; // the room is exactly n: a vector store may not run past it
      got = java.util.Arrays.copyOf(got, n + 4);
      int count = k.nonzeroIndices(n, x, X_OFF, got, 4);
      assertEquals(-7, got[3], provider + " n=" + n + " before the room");
      int m = 4;
      for (int i = 0; i < n; i++) {
        if (x[X_OFF + i] != 0d) {
          assertEquals(i, got[m++], provider + " n=" + n);
        }
      }
      assertEquals(m, count, provider + " n=" + n + " count");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void mulNonzeroIsTheProductAndItsNonzeros(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(10);
    double[] values = {0d, -0d, 2d, -3d, Double.MIN_VALUE, 0.25d, Double.NaN};
    for (int n : SIZES) {
      // products that are 0, -0 (listed as zero), underflow to 0, NaN or ordinary
      double[] x = DoubleKernelTesting.array(X_OFF, n, () -> values[rnd.nextInt(values.length)]);
      double[] y = DoubleKernelTesting.array(Y_OFF, n, () -> values[rnd.nextInt(values.length)]);
      double[] z0 = uniform(rnd, Z_OFF, n, -1, 1);
      double[] z = z0.clone();
      int[] got = java.util.Arrays.copyOf(new int[] {-7, -7, -7}, n + 3); // room: exactly n
      int count = k.mulNonzero(n, x, X_OFF, y, Y_OFF, z, Z_OFF, got, 3);
      assertEquals(-7, got[2], provider + " n=" + n + " before the room");
      int m = 3;
      for (int i = 0; i < n; i++) {
        double zi = x[X_OFF + i] * y[Y_OFF + i];
        // assertEquals on doubles compares bits: -0 != 0, NaN == NaN
        assertEquals(zi, z[Z_OFF + i], provider + " n=" + n + " z i=" + i);
        if (zi != 0d) {
          assertEquals(i, got[m++], provider + " n=" + n);
        }
      }
      assertEquals(m, count, provider + " n=" + n + " count");
      assertUntouchedOutside(z0, z, Z_OFF, n, provider + " mulNonzero n=" + n);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void gatherRowsMeetsItsBound(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(9);
    int rows = 11;
    for (int n : SIZES) {
      int lda = n + 3;
      double[] a = spread(rnd, X_OFF, rows * lda, 10, 1);
      double[] x = spread(rnd, Z_OFF, rows, 10, 1);
      int[] idx = {7, 0, 3, 10, 3, 5};
      for (int count : new int[] {0, 1, idx.length}) {
        for (double beta : new double[] {0d, 0.95d}) {
          double[] y0 = spread(rnd, Y_OFF, n, 10, 1);
          if (beta == 0d) {
            y0[Y_OFF + n / 2] = Double.NaN; // not read when beta = 0
          }
          double[] y = y0.clone();
          k.gatherRows(n, beta, a, X_OFF, lda, x, Z_OFF, idx, count, y, Y_OFF);
          for (int i = 0; i < n; i++) {
            double ref = beta == 0d ? 0 : (double) beta * y0[Y_OFF + i];
            double mag = Math.abs(ref);
            for (int q = 0; q < count; q++) {
              double term = (double) x[Z_OFF + idx[q]] * a[X_OFF + idx[q] * lda + i];
              ref += term;
              mag += Math.abs(term);
            }
            assertWithin(ref, y[Y_OFF + i], (gamma(count + 1) + gammaD(count + 1)) * mag,
                provider + " gatherRows n=" + n + " count=" + count + " beta=" + beta + " i="
                    + i);
          }
          assertUntouchedOutside(y0, y, Y_OFF, n, provider + " gatherRows n=" + n);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"vector"})
  void gatherRowsFusesEachRowInListOrder(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(11);
    int rows = 11;
    int[] idx = {7, 0, 3, 10, 3, 5, 9, 1};
    for (int n : SIZES) {
      int lda = n + 5;
      double[] a = spread(rnd, X_OFF, rows * lda, 10, 1);
      double[] x = spread(rnd, Z_OFF, rows, 10, 1);
      for (double beta : new double[] {0d, 0.95d}) {
        double[] y0 = spread(rnd, Y_OFF, n, 10, 1);
        double[] y = y0.clone();
        k.gatherRows(n, beta, a, X_OFF, lda, x, Z_OFF, idx, idx.length, y, Y_OFF);
        for (int i = 0; i < n; i++) {
          double ref = beta == 0d ? 0d : beta * y0[Y_OFF + i];
          for (int r : idx) {
            ref = Math.fma(x[Z_OFF + r], a[X_OFF + r * lda + i], ref);
          }
          assertEquals(ref, y[Y_OFF + i], provider + " gatherRows n=" + n + " beta=" + beta
              + " i=" + i);
        }
      }
    }
  }

  /** Sentinel-padded values: with probability p the value {@code hit}, else 0. */
  private static double[] array(int off, int n, SplittableRandom rnd, double p, double hit) {
    return DoubleKernelTesting.array(off, n, () -> rnd.nextDouble() < p ? hit : 0d);
  }
}
