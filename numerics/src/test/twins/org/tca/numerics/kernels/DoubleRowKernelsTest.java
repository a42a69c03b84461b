package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.kernels.DoubleKernelTesting.SIZES;
import static org.tca.numerics.kernels.DoubleKernelTesting.TINY;
import static org.tca.numerics.kernels.DoubleKernelTesting.TINY_D;
import static org.tca.numerics.kernels.DoubleKernelTesting.U;
import static org.tca.numerics.kernels.DoubleKernelTesting.UD;
import static org.tca.numerics.kernels.DoubleKernelTesting.X_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.Y_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.Z_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.assertUntouched;
import static org.tca.numerics.kernels.DoubleKernelTesting.assertWithin;
import static org.tca.numerics.kernels.DoubleKernelTesting.gamma;
import static org.tca.numerics.kernels.DoubleKernelTesting.kernels;
import static org.tca.numerics.kernels.DoubleKernelTesting.uniform;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * softmaxRows, logSoftmaxRows and softmaxCrossEntropy of both providers against double
 * references, for row lengths of every awkward size, with padded leading dimensions and offsets.
 *
 * <p>Error model of one row (d_j = x_j - max, e_j = exp(d_j), s = sum e_j &gt;= 1, L = log s),
 * for unit roundoff u and subnormal ulp TINY; the reference in double follows the same steps, so
 * each bound is the model at u plus the model at u_d:
 * <ul>
 *   <li>a term exp(fl(d_j)): fl(d_j) = d_j (1 + delta) moves e_j by expm1(|d_j| u) relative,
 *       and exp adds at most 2u relative (gamma_2), or TINY when subnormal: the vector
 *       provider's exp (VectorDoubleMath) is within 1.85u, the scalar one's StrictMath.exp
 *       rounded once within u + 2 u_d, the double reference's within 1 ulp = 2 u_d;</li>
 *   <li>s: the term errors plus gamma_(n-1) (s + term errors), any order: relative rho;</li>
 *   <li>1/s: rho / (1 - rho) and one rounding; exp(d_j) * (1/s): one more rounding;</li>
 *   <li>L = log s: -log(1 - rho) from s, 1 ulp of log (gamma_2 |L|);</li>
 *   <li>d_j - L and the loss L - d_label (or max + L - x_label, the scalar's order): three terms
 *       summed in any order, gamma_2 (|x_j| + |max| + |L|) plus the error of L;</li>
 *   <li>the batch loss: the row bounds plus gamma_(m-1) sum_r |loss_r|; the label's gradient
 *       p_label - 1: one more rounding.</li>
 * </ul>
 */
class DoubleRowKernelsTest {

  private static final int M = 3;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void rowKernelsMeetTheirBoundsAtEverySize(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(21);
    for (int n : SIZES) {
      double[] x = uniform(rnd, X_OFF, M * (n + 7), -8, 8);
      int[] labels = {0, n - 1, rnd.nextInt(n)};
      check(k, n, x, n + 7, labels, provider + " n=" + n);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void hugeLogitsNeitherOverflowNorUnderflow(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(22);
    double big = Double.MAX_VALUE / 4;
    for (int n : new int[] {1, 2, 10, 17, 33, 100}) {
      int ld = n + 1;
      double[] x = uniform(rnd, X_OFF, M * ld, -5, 5);
      for (int j = 0; j < n; j++) {
        x[X_OFF + j] += 1e4d; // exp(x) overflows
        x[X_OFF + ld + j] -= 1e4d; // exp(x) underflows: the sum would be 0
      }
      x[X_OFF + 2 * ld + n / 2] = big; // every other exponent is about -big
      x[X_OFF + 2 * ld] = n > 1 ? -big : big;
      int[] labels = {n - 1, 0, n / 2};
      check(k, n, x, ld, labels, provider + " huge n=" + n);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void aNanLogitPoisonsOnlyItsRow(String provider) {
    DoubleKernels k = kernels(provider);
    for (int n : new int[] {5, 16, 40}) {
      for (int at : new int[] {0, n - 1}) {
        double[] x = uniform(new SplittableRandom(23), 0, 2 * n, -3, 3);
        x[n + at] = Double.NaN;
        double[] y = new double[2 * n];
        k.softmaxRows(2, n, x, 0, n, y, 0, n);
        for (int j = 0; j < n; j++) {
          assertTrue(Double.isFinite(y[j]), provider + " row 0 n=" + n);
          assertTrue(Double.isNaN(y[n + j]), provider + " row 1 n=" + n + " NaN at " + at);
        }
        double loss = k.softmaxCrossEntropy(2, n, x, 0, n, new int[] {0, 0}, 0, null, 0, 0);
        assertTrue(Double.isNaN(loss), provider + " loss n=" + n);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void labelsOutsideTheColumnsAreRejected(String provider) {
    DoubleKernels k = kernels(provider);
    double[] x = new double[20];
    for (int bad : new int[] {-1, 10}) {
      assertThrows(IllegalArgumentException.class,
          () -> k.softmaxCrossEntropy(2, 10, x, 0, 10, new int[] {3, bad}, 0, null, 0, 0));
    }
  }

  /** Warms the vector row kernels up until C2 compiles them (native exp), then checks again. */
  @Test
  void compiledVectorKernelsMeetTheSameBounds() {
    DoubleKernels k = Kernels.vectorF64();
    SplittableRandom rnd = new SplittableRandom(24);
    for (int n : new int[] {10, 100}) {
      int ld = n + 2;
      double[] x = uniform(rnd, X_OFF, M * ld, -30, 30);
      double[] y = new double[Y_OFF + M * ld];
      int[] labels = {0, n - 1, n / 2};
      for (int rep = 0; rep < 3000; rep++) {
        k.softmaxRows(M, n, x, X_OFF, ld, y, Y_OFF, ld);
        k.logSoftmaxRows(M, n, x, X_OFF, ld, y, Y_OFF, ld);
        k.softmaxCrossEntropy(M, n, x, X_OFF, ld, labels, 0, y, Y_OFF, ld);
      }
      check(k, n, x, ld, labels, "compiled vector n=" + n);
    }
  }

  /** All three kernels on M rows of x (leading dimension ldx) against the references. */
  private static void check(DoubleKernels k, int n, double[] x, int ldx, int[] labels,
      String what) {
    double[] x0 = x.clone();
    Row[] rows = new Row[M];
    for (int r = 0; r < M; r++) {
      rows[r] = new Row(x, X_OFF + r * ldx, n);
    }
    int ldy = n + 3;
    double[] y0 = uniform(new SplittableRandom(1), Y_OFF, M * ldy, 40, 50);
    double[] y = y0.clone();
    k.softmaxRows(M, n, x, X_OFF, ldx, y, Y_OFF, ldy);
    for (int r = 0; r < M; r++) {
      for (int j = 0; j < n; j++) {
        assertWithin(rows[r].p(j), y[Y_OFF + r * ldy + j], rows[r].pBound(j),
            what + " softmax r=" + r + " j=" + j);
      }
    }
    assertUntouched(y0, y, inRows(Y_OFF, ldy, n), what + " softmax");

    y = y0.clone();
    k.logSoftmaxRows(M, n, x, X_OFF, ldx, y, Y_OFF, ldy);
    for (int r = 0; r < M; r++) {
      for (int j = 0; j < n; j++) {
        assertWithin(rows[r].logP(j), y[Y_OFF + r * ldy + j], rows[r].logPBound(j),
            what + " logSoftmax r=" + r + " j=" + j);
      }
    }
    assertUntouched(y0, y, inRows(Y_OFF, ldy, n), what + " logSoftmax");

    int[] lab = new int[Z_OFF + M];
    System.arraycopy(labels, 0, lab, Z_OFF, M);
    double loss = 0;
    double absLoss = 0;
    double rowBounds = 0;
    for (int r = 0; r < M; r++) {
      double lr = rows[r].loss(labels[r]);
      loss += lr;
      absLoss += Math.abs(lr) + rows[r].lossBound(labels[r]);
      rowBounds += rows[r].lossBound(labels[r]);
    }
    double lossTol = rowBounds + (gamma(M - 1) + gamma(M - 1, UD)) * absLoss;
    assertWithin(loss, k.softmaxCrossEntropy(M, n, x, X_OFF, ldx, lab, Z_OFF, null, 0, 0),
        lossTol, what + " loss without gradient");
    y = y0.clone();
    assertWithin(loss, k.softmaxCrossEntropy(M, n, x, X_OFF, ldx, lab, Z_OFF, y, Y_OFF, ldy),
        lossTol, what + " loss");
    for (int r = 0; r < M; r++) {
      for (int j = 0; j < n; j++) {
        double p = rows[r].p(j);
        double g = j == labels[r] ? p - 1 : p;
        double tol = rows[r].pBound(j);
        if (j == labels[r]) { // p - 1: one more rounding, in the kernel and in the reference
          tol += gamma(1) * (Math.abs(g) + rows[r].pBound(j)) + UD * Math.abs(g);
        }
        assertWithin(g, y[Y_OFF + r * ldy + j], tol, what + " grad r=" + r + " j=" + j);
      }
    }
    assertUntouched(y0, y, inRows(Y_OFF, ldy, n), what + " grad");
    assertArrayEquals(x0, x, what + ": logits were modified");
  }

  private static java.util.function.IntPredicate inRows(int off, int ld, int n) {
    return i -> i >= off && (i - off) / ld < M && (i - off) % ld < n;
  }

  /** One row's reference in double, and the error model above. */
  private static final class Row {
    private final double[] x;
    private final double[] d;
    private final double[] e;
    private final double max;
    private final double s;
    private final double logS;
    /** Relative error bounds of the computed s, at u and at u_d. */
    private final double rhoU;
    private final double rhoUd;

    Row(double[] a, int off, int n) {
      x = new double[n];
      d = new double[n];
      e = new double[n];
      double mx = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        x[j] = a[off + j];
        mx = Math.max(mx, x[j]);
      }
      max = mx;
      double sum = 0;
      for (int j = 0; j < n; j++) {
        d[j] = x[j] - max;
        e[j] = Math.exp(d[j]);
        sum += e[j];
      }
      s = sum;
      logS = Math.log(sum);
      rhoU = rho(U, TINY);
      rhoUd = rho(UD, TINY_D);
    }

    double p(int j) {
      return e[j] / s;
    }

    double logP(int j) {
      return d[j] - logS;
    }

    double loss(int label) {
      return logS - d[label];
    }

    double pBound(int j) {
      return pErr(j, U, TINY, rhoU) + pErr(j, UD, TINY_D, rhoUd);
    }

    double logPBound(int j) {
      return sumOfThreeErr(x[j], U, rhoU) + sumOfThreeErr(x[j], UD, rhoUd);
    }

    double lossBound(int label) {
      return logPBound(label);
    }

    /** Relative error of exp(fl(d_j)) (0 where e_j underflows: TINY covers it). */
    private double tau(int j, double u) {
      return e[j] > 0 ? (1 + Math.expm1(Math.abs(d[j]) * u)) * (1 + gamma(2, u)) - 1 : 0;
    }

    /** Relative error rho of the computed sum s. */
    private double rho(double u, double tiny) {
      double termErr = 0;
      for (int j = 0; j < e.length; j++) {
        termErr += e[j] * tau(j, u) + tiny;
      }
      return (termErr + gamma(e.length - 1, u) * (s + termErr)) / s;
    }

    private double pErr(int j, double u, double tiny, double rho) {
      double sigma = (1 + rho / (1 - rho)) * (1 + gamma(1, u)) - 1;
      return p(j) * ((1 + tau(j, u)) * (1 + sigma) * (1 + u) - 1) + 2 * tiny;
    }

    /** Error of d_j - L (xj = x_j) or, for the label, of L - d_label. */
    private double sumOfThreeErr(double xj, double u, double rho) {
      double dl = -Math.log1p(-rho);
      double logErr = dl + gamma(2, u) * (Math.abs(logS) + dl);
      return gamma(2, u) * (Math.abs(xj) + Math.abs(max) + Math.abs(logS) + logErr) + logErr;
    }
  }
}
