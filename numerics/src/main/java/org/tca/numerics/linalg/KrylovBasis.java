package org.tca.numerics.linalg;

import java.util.SplittableRandom;
import org.tca.numerics.kernels.DoubleKernels;

/**
 * The orthonormal Lanczos basis q_0, q_1, ... of R^n, one array per vector, allocated on first
 * use and kept, so a solver that reuses its basis allocates nothing once warmed up. Provides
 * classical Gram-Schmidt applied twice (CGS2, "twice is enough": w <- (I - Q Q') w, two passes,
 * coefficients Q'w computed per pass), which keeps ||Q'Q - I|| = O(u) as long as the vector is
 * not numerically in span(Q).
 */
final class KrylovBasis {

  private final int n;
  private final double[][] q;
  private final DoubleKernels k;
  private double firstPassNorm;
  private double secondPassNorm;

  KrylovBasis(int n, int maxVectors, DoubleKernels kernels) {
    this.n = n;
    this.k = kernels;
    this.q = new double[maxVectors][];
  }

  /** Vector i (allocated on first use; contents are whatever was last stored). */
  double[] vector(int i) {
    double[] v = q[i];
    if (v == null) {
      v = new double[n];
      q[i] = v;
    }
    return v;
  }

  /**
   * w <- (I - Q_m Q_m') w twice, Q_m = [q_0 .. q_{m-1}]; {@code coef[0..m)} is scratch. Returns
   * the sum over both passes of the coefficient of q_{m-1} (the Lanczos alpha correction); the
   * norms after each pass are then {@link #firstPassNorm()} and {@link #secondPassNorm()}.
   */
  double orthogonalise(double[] w, int m, double[] coef) {
    return orthogonalise(w, m, coef, null, 0);
  }

  /**
   * As {@link #orthogonalise(double[], int, double[])}, also storing in {@code total[0..count)}
   * the coefficients q_i'w of the first {@code count} vectors summed over both passes.
   */
  double orthogonalise(double[] w, int m, double[] coef, double[] total, int count) {
    double last = 0.0;
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < m; i++) {
        coef[i] = k.dot(n, q[i], 0, w, 0);
      }
      for (int i = 0; i < m; i++) {
        k.axpy(n, -coef[i], q[i], 0, w, 0);
      }
      for (int i = 0; i < count; i++) {
        total[i] = pass == 0 ? coef[i] : total[i] + coef[i];
      }
      last += m > 0 ? coef[m - 1] : 0.0;
      if (pass == 0) {
        firstPassNorm = norm(w);
      }
    }
    secondPassNorm = norm(w);
    return last;
  }

  /** ||w|| after the first pass of the last {@link #orthogonalise} call. */
  double firstPassNorm() {
    return firstPassNorm;
  }

  /**
   * ||w|| after the second pass. When it is below half of {@link #firstPassNorm()} the second
   * pass cancelled heavily and w is numerically in span(Q) (Kahan-Parlett "twice is enough" test).
   */
  double secondPassNorm() {
    return secondPassNorm;
  }

  /** Euclidean norm of w (f64 kernels). */
  double norm(double[] w) {
    return Math.sqrt(k.sumSquares(n, w, 0));
  }

  /** w <- factor * w. */
  void scale(double[] w, double factor) {
    k.scale(n, factor, w, 0);
  }

  /** out = sum_j s[sOff + j] q_{from + j} over j < m ({@code out} not one of those vectors). */
  void combine(int from, int m, double[] s, int sOff, double[] out) {
    java.util.Arrays.fill(out, 0.0);
    for (int j = 0; j < m; j++) {
      k.axpy(n, s[sOff + j], q[from + j], 0, out, 0);
    }
  }

  /** Exchanges vectors i and j (the arrays, not their contents). */
  void swap(int i, int j) {
    double[] t = vector(i);
    q[i] = vector(j);
    q[j] = t;
  }

  /**
   * Stores in q_m a random unit vector orthogonal to q_0..q_{m-1} (standard normal entries, CGS2,
   * normalised), drawing again in the pathological case that almost nothing is left after the
   * projection. Returns false if no such vector could be made (span(Q) is numerically all of R^n).
   */
  boolean randomOrthogonal(int m, SplittableRandom rnd, double[] coef) {
    double[] v = vector(m);
    for (int attempt = 0; attempt < 8; attempt++) {
      for (int i = 0; i < n; i++) {
        v[i] = rnd.nextGaussian();
      }
      double before = norm(v);
      orthogonalise(v, m, coef);
      double after = secondPassNorm;
      if (after > 1e-8 * before) {
        scale(v, 1.0 / after);
        return true;
      }
    }
    return false;
  }
}
