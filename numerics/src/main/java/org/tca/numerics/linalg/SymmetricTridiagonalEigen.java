package org.tca.numerics.linalg;

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix T (m x m) with diagonal
 * {@code alpha[0..m)} and off-diagonal {@code beta[0..m-1)} (T_{i,i+1} = T_{i+1,i} = beta_i), by
 * the implicit QL algorithm with Wilkinson shifts (EISPACK tql2, as in JAMA): T = Z diag(theta) Z'
 * with Z orthogonal, the eigenvalues theta ascending.
 *
 * <p>Each QL sweep applies Givens rotations G to T <- G' T G and accumulates Z <- Z G. The rows of
 * Z transform independently, so the solver can track all of Z (full eigenvectors, O(m^3)), only
 * its first and last rows (O(m^2): the last components s_{m,i} give Lanczos' residual estimates
 * |beta_m s_{m,i}|, the first ones give quadrature weights), or none (eigenvalues only, O(m^2)).
 * Backward stable: the computed theta are the exact eigenvalues of T + E with ||E||_2 = O(u ||T||_2),
 * so |theta_i - lambda_i(T)| = O(u ||T||_2).
 *
 * <p>An instance holds workspace for matrices up to a fixed capacity and allocates nothing per
 * call; it is not thread-safe. Matrices with ||T|| outside [2^-500, 2^500] are scaled by an exact
 * power of two to avoid overflow and underflow.
 */
public final class SymmetricTridiagonalEigen {

  /** QL sweeps allowed per eigenvalue before giving up (LAPACK's dsteqr uses 30). */
  static final int MAX_SWEEPS_PER_EIGENVALUE = 60;

  private final int capacity;
  private final double[] d;
  private final double[] e;
  private final double[] ends;

  /** Workspace for tridiagonal matrices of order up to {@code capacity}. */
  public SymmetricTridiagonalEigen(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + " < 1");
    }
    this.capacity = capacity;
    this.d = new double[capacity];
    this.e = new double[capacity];
    this.ends = new double[2 * capacity];
  }

  /** The largest order this instance accepts. */
  public int capacity() {
    return capacity;
  }

  /** Eigenvalues of T into {@code values[0..m)}, ascending. */
  public void eigenvalues(int m, double[] alpha, double[] beta, double[] values) {
    load(m, alpha, beta);
    ql(m, d, e, null, 0);
    System.arraycopy(d, 0, values, 0, m);
  }

  /**
   * Eigenvalues ascending into {@code values[0..m)}, and the first and last components of the
   * matching unit eigenvectors: {@code first[i] = z_{0,i}}, {@code last[i] = z_{m-1,i}} (the sign
   * of each eigenvector is arbitrary but the same for both arrays).
   */
  public void eigenvaluesAndEnds(int m, double[] alpha, double[] beta, double[] values,
      double[] first, double[] last) {
    load(m, alpha, beta);
    for (int i = 0; i < m; i++) {
      ends[2 * i] = i == 0 ? 1.0 : 0.0;
      ends[2 * i + 1] = i == m - 1 ? 1.0 : 0.0;
    }
    ql(m, d, e, ends, 2);
    System.arraycopy(d, 0, values, 0, m);
    for (int i = 0; i < m; i++) {
      first[i] = ends[2 * i];
      last[i] = ends[2 * i + 1];
    }
  }

  /**
   * Eigenvalues ascending into {@code values[0..m)} and the unit eigenvectors into
   * {@code vectors[0..m*m)}, one per row: component k of the eigenvector of {@code values[i]} is
   * {@code vectors[i*m + k]} (that is, Z' row-major). Signs are arbitrary.
   */
  public void eigenvaluesAndVectors(int m, double[] alpha, double[] beta, double[] values,
      double[] vectors) {
    load(m, alpha, beta);
    if (vectors.length < m * m) {
      throw new IllegalArgumentException("vectors has length " + vectors.length + " < m*m");
    }
    java.util.Arrays.fill(vectors, 0, m * m, 0.0);
    for (int i = 0; i < m; i++) {
      vectors[i * m + i] = 1.0;
    }
    ql(m, d, e, vectors, m);
    System.arraycopy(d, 0, values, 0, m);
  }

  /** Allocating convenience: all eigenpairs of T, eigenvalues ascending. */
  public static EigenPairs decompose(double[] alpha, double[] beta) {
    int m = alpha.length;
    SymmetricTridiagonalEigen s = new SymmetricTridiagonalEigen(Math.max(1, m));
    double[] values = new double[m];
    double[] z = new double[m * m];
    if (m > 0) {
      s.eigenvaluesAndVectors(m, alpha, beta, values, z);
    }
    double[][] vectors = new double[m][];
    for (int i = 0; i < m; i++) {
      vectors[i] = java.util.Arrays.copyOfRange(z, i * m, (i + 1) * m);
    }
    return new EigenPairs(values, vectors);
  }

  private void load(int m, double[] alpha, double[] beta) {
    if (m < 1 || m > capacity) {
      throw new IllegalArgumentException("order " + m + " outside [1, " + capacity + "]");
    }
    if (alpha.length < m || beta.length < m - 1) {
      throw new IllegalArgumentException("alpha needs " + m + " and beta " + (m - 1)
          + " entries, got " + alpha.length + " and " + beta.length);
    }
    for (int i = 0; i < m; i++) {
      d[i] = alpha[i];
      e[i] = i < m - 1 ? beta[i] : 0.0;
      if (!Double.isFinite(d[i]) || !Double.isFinite(e[i])) {
        throw new IllegalArgumentException("non-finite entry at index " + i + " (alpha "
            + d[i] + ", beta " + e[i] + ")");
      }
    }
  }

  /**
   * The QL core, in place. On entry d[0..m) is the diagonal and e[i] (i < m-1) couples rows i and
   * i+1; e[m-1] is scratch. Each row i of {@code zt} (its {@code comps} entries from i*comps) is
   * the tracked part of eigenvector i; the rotations combine rows, so zt holds Z' restricted to
   * the tracked components: the identity gives eigenvectors of T, Q' (with A = Q T Q') gives
   * eigenvectors of A. On exit d holds the eigenvalues ascending, the rows of zt permuted to match;
   * e is destroyed.
   */
  static void ql(int m, double[] d, double[] e, double[] zt, int comps) {
    e[m - 1] = 0.0;
    double norm = 0.0;
    for (int i = 0; i < m; i++) {
      norm = Math.max(norm, Math.abs(d[i]) + Math.abs(e[i]));
    }
    int exponent = norm == 0.0 ? 0 : Math.getExponent(norm);
    boolean scaled = Math.abs(exponent) > 500;
    if (scaled) {
      for (int i = 0; i < m; i++) {
        d[i] = Math.scalb(d[i], -exponent);
        e[i] = Math.scalb(e[i], -exponent);
      }
    }
    final double eps = Math.ulp(1.0);
    double f = 0.0;
    double tst1 = 0.0;
    for (int l = 0; l < m; l++) {
      tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
      int mm = l;
      while (mm < m - 1 && Math.abs(e[mm]) > eps * tst1) {
        mm++;
      }
      if (mm > l) {
        int sweeps = 0;
        do {
          if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE) {
            throw new ArithmeticException("tridiagonal QL did not converge for eigenvalue " + l
                + " of " + m + " after " + MAX_SWEEPS_PER_EIGENVALUE + " sweeps");
          }
          // Wilkinson shift: the eigenvalue of the leading 2x2 block closer to d[l].
          double g = d[l];
          double p = (d[l + 1] - g) / (2.0 * e[l]);
          double r = Math.hypot(p, 1.0);
          if (p < 0) {
            r = -r;
          }
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          double dl1 = d[l + 1];
          double h = g - d[l];
          for (int i = l + 2; i < m; i++) {
            d[i] -= h;
          }
          f += h;
          // Implicit QL sweep from the bottom of the unreduced block up to l.
          p = d[mm];
          double c = 1.0;
          double c2 = c;
          double c3 = c;
          double el1 = e[l + 1];
          double s = 0.0;
          double s2 = 0.0;
          for (int i = mm - 1; i >= l; i--) {
            c3 = c2;
            c2 = c;
            s2 = s;
            g = c * e[i];
            h = c * p;
            r = Math.hypot(p, e[i]);
            e[i + 1] = s * r;
            s = e[i] / r;
            c = p / r;
            p = c * d[i] - s * g;
            d[i + 1] = h + s * (c * g + s * d[i]);
            int a = i * comps;
            int b = a + comps;
            for (int k = 0; k < comps; k++) {
              double zb = zt[b + k];
              zt[b + k] = s * zt[a + k] + c * zb;
              zt[a + k] = c * zt[a + k] - s * zb;
            }
          }
          p = -s * s2 * c3 * el1 * e[l] / dl1;
          e[l] = s * p;
          d[l] = c * p;
        } while (Math.abs(e[l]) > eps * tst1);
      }
      d[l] += f;
      e[l] = 0.0;
    }
    sortAscending(m, d, zt, comps);
    if (scaled) {
      for (int i = 0; i < m; i++) {
        d[i] = Math.scalb(d[i], exponent);
      }
    }
  }

  private static void sortAscending(int m, double[] d, double[] zt, int comps) {
    for (int i = 0; i < m - 1; i++) {
      int min = i;
      for (int j = i + 1; j < m; j++) {
        if (d[j] < d[min]) {
          min = j;
        }
      }
      if (min != i) {
        double t = d[i];
        d[i] = d[min];
        d[min] = t;
        int a = i * comps;
        int b = min * comps;
        for (int k = 0; k < comps; k++) {
          double z = zt[a + k];
          zt[a + k] = zt[b + k];
          zt[b + k] = z;
        }
      }
    }
  }
}
