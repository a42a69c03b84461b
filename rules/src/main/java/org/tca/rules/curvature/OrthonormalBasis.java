package org.tca.rules.curvature;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * Up to {@code capacity} orthonormal f64 vectors of length n, with classical Gram-Schmidt applied
 * twice ("twice is enough", Giraud et al. 2005): w <- (I - Q Q')^2 w keeps Q'Q = I to O(u) as long
 * as no vector added is numerically dependent, which {@link #orthogonalise} reports through the
 * ratio of the norms after and before. Storage is allocated once. Not thread-safe.
 */
final class OrthonormalBasis {

  private final int n;
  private final double[][] q;
  private final DoubleKernels k = Kernels.f64();
  private int size;

  OrthonormalBasis(int n, int capacity) {
    this.n = n;
    this.q = new double[capacity][n];
  }

  int size() {
    return size;
  }

  int capacity() {
    return q.length;
  }

  double[] vector(int i) {
    return q[i];
  }

  void clear() {
    size = 0;
  }

  double dot(double[] a, double[] b) {
    return k.dot(n, a, 0, b, 0);
  }

  double norm(double[] a) {
    return Math.sqrt(k.sumSquares(n, a, 0));
  }

  /**
   * w <- (I - Q Q')^2 w over the first {@code count} vectors; coef[i] receives the total q_i'w
   * removed (both passes; null to skip). Returns ||w|| after.
   */
  double orthogonalise(double[] w, int count, double[] coef) {
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < count; i++) {
        double c = k.dot(n, q[i], 0, w, 0);
        if (coef != null) {
          coef[i] = pass == 0 ? c : coef[i] + c;
        }
        k.axpy(n, -c, q[i], 0, w, 0);
      }
    }
    return norm(w);
  }

  /** Appends w / norm (copied) as vector {@link #size()}. */
  void add(double[] w, double norm) {
    double[] dst = q[size++];
    for (int i = 0; i < n; i++) {
      dst[i] = w[i] / norm;
    }
  }
}
