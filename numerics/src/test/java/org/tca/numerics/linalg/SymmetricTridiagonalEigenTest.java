package org.tca.numerics.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.linalg.SpectralTestMatrices.U;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tridiagonal QL solver against closed forms (1-D Laplacian), Sturm-sequence counts (an
 * independent oracle: the number of eigenvalues below x is the number of negative pivots of
 * LDL' of T - x I) and the dense solver. QL is backward stable, so eigenvalues are checked to
 * C m u ||T|| with C = 10 and ||T|| <= max_i (|alpha_i| + |beta_{i-1}| + |beta_i|).
 */
class SymmetricTridiagonalEigenTest {

  private static final double C = 10;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 10, 64, 200})
  void laplacianClosedForm(int m) {
    // tridiag(-1, 2, -1): theta_k = 2 - 2 cos(k pi / (m + 1)), x_j = sin(j k pi / (m + 1)).
    double[] alpha = new double[m];
    double[] beta = new double[Math.max(0, m - 1)];
    java.util.Arrays.fill(alpha, 2.0);
    java.util.Arrays.fill(beta, -1.0);
    double[] values = new double[m];
    double[] vectors = new double[m * m];
    new SymmetricTridiagonalEigen(m).eigenvaluesAndVectors(m, alpha, beta, values, vectors);
    double bound = C * m * U * 4;
    for (int k = 1; k <= m; k++) {
      double expected = 2 - 2 * Math.cos(k * Math.PI / (m + 1));
      assertEquals(expected, values[k - 1], bound, "eigenvalue " + k + " of " + m);
      double[] x = new double[m];
      double norm = Math.sqrt(2.0 / (m + 1));
      for (int j = 1; j <= m; j++) {
        x[j - 1] = norm * Math.sin(j * k * Math.PI / (m + 1));
      }
      double[] got = java.util.Arrays.copyOfRange(vectors, (k - 1) * m, k * m);
      // sin of the angle between computed and exact eigenvector <= ||E|| / gap (Davis-Kahan).
      double gap = Double.POSITIVE_INFINITY;
      for (int j = 1; j <= m; j++) {
        if (j != k) {
          gap = Math.min(gap, Math.abs(expected - (2 - 2 * Math.cos(j * Math.PI / (m + 1)))));
        }
      }
      // sin = ||got - (x'got) x|| (not sqrt(1 - cos^2), which cancels to ~sqrt(u)).
      double c = SpectralTestMatrices.dot(x, got);
      double[] perp = got.clone();
      for (int j = 0; j < m; j++) {
        perp[j] -= c * x[j];
      }
      double sin = SpectralTestMatrices.norm(perp);
      assertTrue(sin <= bound / gap + C * m * U, "eigenvector " + k + ": sin " + sin);
    }
    assertTrue(SpectralTestMatrices.orthonormalityError(rows(vectors, m)) <= C * m * U);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5, 30, 100})
  void randomTridiagonalsAgreeWithSturmCountsAndTheDenseSolver(int m) {
    SplittableRandom rnd = new SplittableRandom(31 * m);
    double[] alpha = new double[m];
    double[] beta = new double[m - 1];
    for (int i = 0; i < m; i++) {
      alpha[i] = rnd.nextDouble(-3, 3);
      if (i < m - 1) {
        beta[i] = rnd.nextDouble(-2, 2);
      }
    }
    double bound = C * m * U * infinityNorm(alpha, beta);
    double[] values = new double[m];
    new SymmetricTridiagonalEigen(m).eigenvalues(m, alpha, beta, values);
    for (int i = 0; i < m; i++) {
      assertTrue(sturmCount(alpha, beta, values[i] - bound) <= i, "too many below value " + i);
      assertTrue(sturmCount(alpha, beta, values[i] + bound) >= i + 1, "too few below value " + i);
    }
    double[] dense = new double[m * m];
    for (int i = 0; i < m; i++) {
      dense[i * m + i] = alpha[i];
      if (i < m - 1) {
        dense[i * m + i + 1] = beta[i];
        dense[(i + 1) * m + i] = beta[i];
      }
    }
    EigenPairs ref = DenseSymmetricEigen.decompose(m, dense);
    assertArrayEquals(ref.values(), values, 2 * bound);
    EigenPairs p = SymmetricTridiagonalEigen.decompose(alpha, beta);
    for (int i = 0; i < m; i++) {
      double r = SpectralTestMatrices.residual(m, dense, p.value(i), p.vector(i));
      assertTrue(r <= bound, "residual " + r + " of pair " + i);
    }
  }

  @Test
  void endsAndValuesOnlyMatchTheFullDecompositionExactly() {
    int m = 40;
    SplittableRandom rnd = new SplittableRandom(5);
    double[] alpha = new double[m];
    double[] beta = new double[m - 1];
    for (int i = 0; i < m; i++) {
      alpha[i] = rnd.nextGaussian();
      if (i < m - 1) {
        beta[i] = rnd.nextGaussian();
      }
    }
    SymmetricTridiagonalEigen s = new SymmetricTridiagonalEigen(64);
    double[] values = new double[m];
    double[] vectors = new double[m * m];
    s.eigenvaluesAndVectors(m, alpha, beta, values, vectors);
    double[] v2 = new double[m];
    double[] first = new double[m];
    double[] last = new double[m];
    s.eigenvaluesAndEnds(m, alpha, beta, v2, first, last);
    double[] v3 = new double[m];
    s.eigenvalues(m, alpha, beta, v3);
    assertArrayEquals(values, v2, 0.0);
    assertArrayEquals(values, v3, 0.0);
    for (int i = 0; i < m; i++) {
      assertEquals(vectors[i * m], first[i], 0.0);
      assertEquals(vectors[i * m + m - 1], last[i], 0.0);
    }
  }

  @Test
  void zeroOffDiagonalsSplitTheMatrix() {
    double[] alpha = {5, 1, -2, 3, 0};
    double[] beta = {0, 0.5, 0, 0};
    double[] values = new double[5];
    new SymmetricTridiagonalEigen(5).eigenvalues(5, alpha, beta, values);
    double mid = (1 + -2) / 2.0;
    double rad = Math.hypot((1 - -2) / 2.0, 0.5);
    assertArrayEquals(new double[] {mid - rad, 0, mid + rad, 3, 5}, values, C * 5 * U * 5);
  }

  @Test
  void hugeAndTinyScales() {
    double[] alpha = {1, -2, 3, 0.5};
    double[] beta = {0.7, -1.1, 0.3};
    double[] ref = new double[4];
    SymmetricTridiagonalEigen s = new SymmetricTridiagonalEigen(4);
    s.eigenvalues(4, alpha, beta, ref);
    for (int e : new int[] {1000, -1000}) {
      double[] a = alpha.clone();
      double[] b = beta.clone();
      for (int i = 0; i < 4; i++) {
        a[i] = Math.scalb(a[i], e);
        if (i < 3) {
          b[i] = Math.scalb(b[i], e);
        }
      }
      double[] got = new double[4];
      s.eigenvalues(4, a, b, got);
      for (int i = 0; i < 4; i++) {
        assertEquals(ref[i], Math.scalb(got[i], -e), C * 4 * U * 5, "scale 2^" + e);
      }
    }
  }

  @Test
  void rejectsBadInput() {
    SymmetricTridiagonalEigen s = new SymmetricTridiagonalEigen(3);
    double[] out = new double[4];
    assertThrows(IllegalArgumentException.class,
        () -> s.eigenvalues(4, new double[4], new double[3], out));
    assertThrows(IllegalArgumentException.class,
        () -> s.eigenvalues(3, new double[3], new double[1], out));
    assertThrows(IllegalArgumentException.class,
        () -> s.eigenvalues(2, new double[] {1, Double.NaN}, new double[1], out));
    assertThrows(IllegalArgumentException.class, () -> new SymmetricTridiagonalEigen(0));
  }

  /** The number of eigenvalues of T below x: negative pivots of LDL' of T - x I. */
  private static int sturmCount(double[] alpha, double[] beta, double x) {
    int count = 0;
    double q = 1.0;
    for (int i = 0; i < alpha.length; i++) {
      double b2 = i == 0 ? 0.0 : beta[i - 1] * beta[i - 1];
      q = alpha[i] - x - (i == 0 ? 0.0 : b2 / q);
      if (q == 0.0) {
        q = -U * (Math.abs(alpha[i]) + Math.abs(x) + 1e-300);
      }
      if (q < 0) {
        count++;
      }
    }
    return count;
  }

  private static double infinityNorm(double[] alpha, double[] beta) {
    double m = 0.0;
    for (int i = 0; i < alpha.length; i++) {
      double r = Math.abs(alpha[i]) + (i > 0 ? Math.abs(beta[i - 1]) : 0)
          + (i < beta.length ? Math.abs(beta[i]) : 0);
      m = Math.max(m, r);
    }
    return m;
  }

  private static double[][] rows(double[] flat, int m) {
    double[][] r = new double[m][];
    for (int i = 0; i < m; i++) {
      r[i] = java.util.Arrays.copyOfRange(flat, i * m, (i + 1) * m);
    }
    return r;
  }
}
