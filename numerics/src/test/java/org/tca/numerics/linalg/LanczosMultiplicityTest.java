package org.tca.numerics.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.linalg.SpectralTestMatrices.U;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tca.numerics.linalg.SpectralTestMatrices.CountingOperator;

/**
 * Lanczos on operators whose extreme eigenvalues repeat, against {@link DenseSymmetricEigen}. A
 * single start vector's Krylov space holds one direction per distinct eigenvalue, so without
 * restarts the copies are missed and the next distinct values take their places.
 *
 * <p>Bound: for the k returned pairs at one end, with orthonormal Ritz vectors Y and residual
 * matrix R = A Y - Y diag(theta), the k eigenvalues of Y'AY (which lie within ||R||_F of the
 * theta, its off-diagonal entries being y_i'r_j) match k eigenvalues of A within ||R||_2; the
 * solver must have found the k extreme ones, so the i-th Ritz value is within
 * 2 sqrt(k) max_i r_i <= 2 sqrt(k) tol ||A|| of the i-th extreme eigenvalue, plus C n u ||A||
 * for the rounding of the construction and the products (C = 10, as in {@link LanczosTest}).
 */
class LanczosMultiplicityTest {

  private static final double C = 10;

  @Test
  void blockDiagonalCopiesOfOneMatrix() {
    // The W_out Hessian of an MSE loss: N_out copies of one matrix; every eigenvalue thrice.
    double[] a = blockDiagonal(randomSymmetric(60, 1), 60, 3);
    for (double tol : new double[] {1e-6, 1e-10, 1e-12}) {
      check(180, a, 3, 4, tol, 7);
    }
    check(180, a, 5, 0, 1e-10, 8);
    check(180, a, 0, 5, 1e-10, 9);
  }

  @Test
  void diagonalWithRepeatedEntriesInARandomBasis() {
    int n = 150;
    double[] lambda = SpectralTestMatrices.concat(new double[] {5, 5, 5, 3, 3, -4, -4, -4, -4},
        SpectralTestMatrices.linspace(-1, 2, n - 9));
    double[] a = SpectralTestMatrices.withSpectrum(lambda, 21).a;
    check(n, a, 4, 5, 1e-10, 3);
    check(n, a, 6, 6, 1e-6, 4);
  }

  @Test
  void diagonalWithRepeatedEntries() {
    // A plain diagonal: every coordinate vector is an eigenvector (dead units, unused inputs).
    int n = 120;
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      a[i * n + i] = i % 3 == 0 ? 2.0 : i % 3 == 1 ? 1.0 + i * 1e-3 : -0.5;
    }
    check(n, a, 4, 4, 1e-10, 5);
  }

  @Test
  void rankDeficientMatricesWithAManyfoldZeroEigenvalue() {
    int n = 100;
    double[] psd = gram(n, 10, 31);
    check(n, psd, 3, 4, 1e-10, 6);
    double[] nsd = psd.clone();
    for (int i = 0; i < nsd.length; i++) {
      nsd[i] = -nsd[i];
    }
    check(n, nsd, 4, 3, 1e-10, 7);
  }

  @Test
  void restartsWithLockedPairsAllocateOnlyTheResult() {
    int n = 180;
    SymmetricOperator op =
        new DenseSymmetricOperator(n, blockDiagonal(randomSymmetric(60, 2), 60, 3));
    // scalar kernels: see LanczosTest.repeatedSolvesAllocateOnlyTheResult
    Lanczos solver = new Lanczos(n, n, org.tca.numerics.kernels.Kernels.scalarF64());
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long best = Long.MAX_VALUE;
    for (int attempt = 0; attempt < 300 && best >= 8; attempt++) {
      long b0 = mx.getThreadAllocatedBytes(id);
      LanczosResult shortSolve = solver.solve(op, 3, 4, 1e-4, 1);
      long b1 = mx.getThreadAllocatedBytes(id);
      LanczosResult longSolve = solver.solve(op, 3, 4, 1e-12, 1);
      long b2 = mx.getThreadAllocatedBytes(id);
      assertTrue(shortSolve.restarts() >= 1 && longSolve.restarts() >= 1,
          "expected restarts to find the copies");
      int extraSteps = longSolve.products() - shortSolve.products();
      assertTrue(extraSteps > 20, shortSolve.products() + " vs " + longSolve.products());
      best = Math.min(best, Math.abs((b2 - b1) - (b1 - b0)) / extraSteps);
    }
    assertTrue(best < 8, "allocates about " + best + " bytes per Lanczos step");
  }

  @Test
  void aWarmStartStillFindsEveryCopy() {
    int n = 180;
    double[] a = blockDiagonal(randomSymmetric(60, 3), 60, 3);
    EigenPairs exact = DenseSymmetricEigen.decompose(n, a);
    LanczosResult r = new Lanczos(n).solve(new DenseSymmetricOperator(n, a), 3, 0, 1e-10,
        exact.vector(n - 1), 4);
    assertTrue(r.converged());
    for (int i = 0; i < 3; i++) {
      assertEquals(exact.value(n - 1), r.top().value(i), 1e-8 * exact.value(n - 1));
    }
  }

  /** Lanczos(kTop, kBottom) matches the dense eigenvalues at both ends, converged, honestly. */
  static LanczosResult check(int n, double[] a, int kTop, int kBottom, double tol, long seed) {
    EigenPairs exact = DenseSymmetricEigen.decompose(n, a);
    double norm = Math.max(Math.abs(exact.value(0)), Math.abs(exact.value(n - 1)));
    CountingOperator op = new CountingOperator(new DenseSymmetricOperator(n, a));
    LanczosResult r = new Lanczos(n).solve(op, kTop, kBottom, tol, seed);
    String what = "kTop " + kTop + " kBottom " + kBottom + " tol " + tol + ": ";
    assertTrue(r.converged(), what + "not converged after " + r.products() + " products");
    assertEquals(op.count, r.products(), what + "product count");
    double rounding = C * n * U * norm;
    checkEnd(n, a, exact, r.top(), r.topResiduals(), true, tol * norm, rounding, what + "top ");
    checkEnd(n, a, exact, r.bottom(), r.bottomResiduals(), false, tol * norm, rounding,
        what + "bottom ");
    return r;
  }

  private static void checkEnd(int n, double[] a, EigenPairs exact, EigenPairs found,
      double[] residuals, boolean top, double level, double rounding, String what) {
    int k = found.size();
    double bound = 2 * Math.sqrt(k) * level + rounding;
    for (int i = 0; i < k; i++) {
      double expected = exact.value(top ? n - 1 - i : i);
      assertEquals(expected, found.value(i), bound, what + i + " eigenvalue");
      double r = SpectralTestMatrices.residual(n, a, found.value(i), found.vector(i));
      assertTrue(r <= level + rounding, what + i + " residual " + r + " > " + level);
      assertEquals(r, residuals[i], rounding, what + i + " residual estimate");
    }
    assertTrue(SpectralTestMatrices.orthonormalityError(found.vectors()) <= C * n * U,
        what + "vectors not orthonormal");
  }

  /** A symmetric m x m matrix with standard normal entries (distinct eigenvalues). */
  static double[] randomSymmetric(int m, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] b = new double[m * m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j <= i; j++) {
        double x = r.nextGaussian();
        b[i * m + j] = x;
        b[j * m + i] = x;
      }
    }
    return b;
  }

  /** diag(b, b, ..., b) with {@code copies} copies of the m x m block b. */
  static double[] blockDiagonal(double[] b, int m, int copies) {
    int n = m * copies;
    double[] a = new double[n * n];
    for (int c = 0; c < copies; c++) {
      for (int i = 0; i < m; i++) {
        System.arraycopy(b, i * m, a, (c * m + i) * n + c * m, m);
      }
    }
    return a;
  }

  /** G G' for a seeded n x r standard normal G: rank r, eigenvalue 0 of multiplicity n - r. */
  static double[] gram(int n, int r, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] g = new double[n * r];
    for (int i = 0; i < g.length; i++) {
      g[i] = rnd.nextGaussian();
    }
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int k = 0; k < r; k++) {
          s += g[i * r + k] * g[j * r + k];
        }
        a[i * n + j] = s;
        a[j * n + i] = s;
      }
    }
    return a;
  }
}
