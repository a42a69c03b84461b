package org.tca.numerics.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.linalg.SpectralTestMatrices.U;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tca.numerics.linalg.SpectralTestMatrices.Known;

/**
 * The dense oracle against matrices with known spectra. Bounds: Householder tridiagonalisation
 * + QL is backward stable, the pairs being exact for A + E with ||E||_2 <= p(n) u ||A||_2 and
 * p(n) = O(n) in practice; the stored A differs from Q diag(lambda) Q' by O(n u ||A||) too. So
 * |lambda^_i - lambda_i|, ||A v - lambda^ v|| and |V'V - I| are all checked against
 * C n u ||A|| with C = 10 (taken once for every test; errors from a wrong shift, sort or
 * accumulation are O(||A||)).
 */
class DenseSymmetricEigenTest {

  private static final double C = 10;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 16, 50, 120})
  void recoversAKnownSpectrum(int n) {
    SplittableRandom rnd = new SplittableRandom(1000 + n);
    double[] lambda = new double[n];
    for (int i = 0; i < n; i++) {
      lambda[i] = rnd.nextDouble(-10, 10);
    }
    checkAgainstKnown(SpectralTestMatrices.withSpectrum(lambda, n));
  }

  @Test
  void repeatedEigenvaluesGiveOrthonormalVectors() {
    double[] lambda = SpectralTestMatrices.concat(new double[] {3, 3, 3, 3, 3},
        SpectralTestMatrices.linspace(-2, 1, 25), new double[] {-4, -4});
    checkAgainstKnown(SpectralTestMatrices.withSpectrum(lambda, 7));
  }

  @Test
  void wideDynamicRangeOfEigenvalues() {
    double[] lambda = {1e8, 1.0, 1e-8, -1e-3, 5e5, 0.0, -2e7};
    checkAgainstKnown(SpectralTestMatrices.withSpectrum(lambda, 3));
  }

  private static void checkAgainstKnown(Known k) {
    int n = k.n;
    EigenPairs p = DenseSymmetricEigen.decompose(n, k.a);
    double bound = C * n * U * k.norm();
    double[] expected = k.ascending();
    assertEquals(n, p.size());
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        assertTrue(p.value(i - 1) <= p.value(i), "not ascending at " + i);
      }
      assertEquals(expected[i], p.value(i), bound, "eigenvalue " + i + " of " + n);
      double r = SpectralTestMatrices.residual(n, k.a, p.value(i), p.vector(i));
      assertTrue(r <= bound, "residual " + r + " > " + bound + " for pair " + i);
    }
    double orth = SpectralTestMatrices.orthonormalityError(p.vectors());
    assertTrue(orth <= C * n * U, "|V'V - I| = " + orth);
  }

  @Test
  void diagonalMatrixGivesSortedValuesAndPositiveUnitVectors() {
    double[] a = new double[16];
    double[] diag = {3, -1, 7, 0};
    for (int i = 0; i < 4; i++) {
      a[i * 4 + i] = diag[i];
    }
    EigenPairs p = DenseSymmetricEigen.decompose(4, a);
    assertArrayEquals(new double[] {-1, 0, 3, 7}, p.values(), 0.0);
    int[] index = {1, 3, 0, 2};
    for (int i = 0; i < 4; i++) {
      double[] e = new double[4];
      e[index[i]] = 1.0;
      assertArrayEquals(e, p.vector(i), 0.0, "vector " + i);
    }
  }

  @Test
  void zeroAndOneByOneAndEmpty() {
    EigenPairs z = DenseSymmetricEigen.decompose(3, new double[9]);
    assertArrayEquals(new double[3], z.values(), 0.0);
    assertTrue(SpectralTestMatrices.orthonormalityError(z.vectors()) == 0.0);
    EigenPairs one = DenseSymmetricEigen.decompose(new double[][] {{-2.5}});
    assertEquals(-2.5, one.value(0), 0.0);
    assertArrayEquals(new double[] {1.0}, one.vector(0), 0.0);
    assertEquals(0, DenseSymmetricEigen.decompose(0, new double[0]).size());
  }

  @Test
  void twoByTwoClosedForm() {
    // [[a, b], [b, c]]: (a + c)/2 -+ sqrt(((a - c)/2)^2 + b^2).
    double a = 2;
    double b = -3;
    double c = -1;
    double mid = (a + c) / 2;
    double rad = Math.hypot((a - c) / 2, b);
    EigenPairs p = DenseSymmetricEigen.decompose(2, new double[] {a, b, b, c});
    double bound = C * 2 * U * (Math.abs(mid) + rad);
    assertEquals(mid - rad, p.value(0), bound);
    assertEquals(mid + rad, p.value(1), bound);
  }

  @Test
  void hugeAndTinyScalesNeitherOverflowNorUnderflow() {
    Known k = SpectralTestMatrices.withSpectrum(new double[] {4, -3, 1, 0.5, -2}, 11);
    EigenPairs ref = DenseSymmetricEigen.decompose(5, k.a);
    for (int e : new int[] {900, -900}) {
      double[] s = k.a.clone();
      for (int i = 0; i < s.length; i++) {
        s[i] = Math.scalb(s[i], e);
      }
      EigenPairs p = DenseSymmetricEigen.decompose(5, s);
      for (int i = 0; i < 5; i++) {
        assertEquals(ref.value(i), Math.scalb(p.value(i), -e), C * 5 * U * 4,
            "eigenvalue " + i + " at scale 2^" + e);
      }
    }
  }

  @Test
  void eigenvectorSignConventionLargestComponentPositive() {
    Known k = SpectralTestMatrices.withSpectrum(SpectralTestMatrices.linspace(-1, 1, 9), 5);
    for (double[] v : DenseSymmetricEigen.decompose(9, k.a).vectors()) {
      int big = 0;
      for (int i = 1; i < v.length; i++) {
        if (Math.abs(v[i]) > Math.abs(v[big])) {
          big = i;
        }
      }
      assertTrue(v[big] > 0);
    }
  }

  @Test
  void rejectsNonSymmetricNonSquareAndNonFiniteInput() {
    double[] a = {1, 2, 2.001, 1};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DenseSymmetricEigen.decompose(2, a));
    assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
    assertEquals(2, DenseSymmetricEigen.decompose(2, a, 1e-3).size());
    assertThrows(IllegalArgumentException.class,
        () -> DenseSymmetricEigen.decompose(3, new double[8]));
    assertThrows(IllegalArgumentException.class,
        () -> DenseSymmetricEigen.decompose(new double[][] {{1, 2}, {2}}));
    assertThrows(IllegalArgumentException.class,
        () -> DenseSymmetricEigen.decompose(2, new double[] {1, 0, 0, Double.NaN}));
  }

  @Test
  void symmetryToleranceIsRelativeToTheLargestEntry() {
    double big = 1e6;
    double off = 1.0;
    double[] a = {big, off, off + 1e-7, 1};  // |difference| 1e-7 <= 1e-12 * 1e6 = 1e-6
    assertEquals(2, DenseSymmetricEigen.decompose(2, a).size());
    double[] b = {big, off, off + 2e-6, 1};  // |difference| 2e-6 > 1e-6
    assertThrows(IllegalArgumentException.class, () -> DenseSymmetricEigen.decompose(2, b));
  }
}
