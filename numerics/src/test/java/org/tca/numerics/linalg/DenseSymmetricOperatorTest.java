package org.tca.numerics.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.linalg.SpectralTestMatrices.U;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The dense adapter: out = A v within the gemv forward-error bound, copies and symmetrises. */
class DenseSymmetricOperatorTest {

  @Test
  void appliesTheMatrixWithinTheDotProductErrorBound() {
    for (int n : new int[] {1, 2, 7, 33, 100}) {
      SplittableRandom rnd = new SplittableRandom(n);
      double[] a = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          double x = rnd.nextGaussian();
          a[i * n + j] = x;
          a[j * n + i] = x;
        }
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = rnd.nextGaussian();
      }
      double[] out = new double[n];
      new DenseSymmetricOperator(n, a).apply(v, out);
      double gamma = n * U / (1 - n * U);
      for (int i = 0; i < n; i++) {
        // Reference in f64 with the products summed exactly enough: the error of either sum is
        // <= gamma_n sum_j |a_ij v_j|, so they differ by at most twice that.
        double ref = 0.0;
        double abs = 0.0;
        for (int j = 0; j < n; j++) {
          ref += a[i * n + j] * v[j];
          abs += Math.abs(a[i * n + j] * v[j]);
        }
        assertEquals(ref, out[i], 2 * gamma * abs, "row " + i + " of n = " + n);
      }
    }
  }

  @Test
  void copiesAndSymmetrisesItsInput() {
    double[] a = {1, 2, 2 + 1e-13, 3};
    DenseSymmetricOperator op = new DenseSymmetricOperator(2, a);
    a[0] = 100;
    assertEquals(1.0, op.get(0, 0), 0.0);
    assertEquals(op.get(0, 1), op.get(1, 0), 0.0);
    assertEquals(2, op.dimension());
    double[] out = new double[2];
    op.apply(new double[] {1, 0}, out);
    assertEquals(1.0, out[0], 0.0);
  }

  @Test
  void rejectsNonSymmetricInputAndWrongLengths() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DenseSymmetricOperator(2, new double[] {1, 2, 3, 4}));
    assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new DenseSymmetricOperator(2, new double[3]));
    DenseSymmetricOperator op = new DenseSymmetricOperator(2, new double[4]);
    assertThrows(IllegalArgumentException.class, () -> op.apply(new double[3], new double[2]));
  }

  @Test
  void lanczosThroughTheAdapterMatchesTheKnownSpectrum() {
    int n = 80;
    SpectralTestMatrices.Known k = SpectralTestMatrices.withSpectrum(
        SpectralTestMatrices.concat(new double[] {9, -7}, SpectralTestMatrices.linspace(-3, 3, n - 2)),
        21);
    LanczosResult r = new Lanczos(n).solve(new DenseSymmetricOperator(n, k.a), 1, 1, 1e-10, 3);
    assertTrue(r.converged());
    double bound = 1e-10 * 9 + 10 * n * U * 9;
    assertEquals(9, r.largest(), bound);
    assertEquals(-7, r.smallest(), bound);
  }
}
