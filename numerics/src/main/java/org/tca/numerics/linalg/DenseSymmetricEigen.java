package org.tca.numerics.linalg;

/**
 * All eigenpairs of a small dense symmetric matrix, A = V diag(lambda) V' with V orthogonal and
 * lambda ascending: Householder reduction to tridiagonal form A = Q T Q' (EISPACK tred2, as in
 * JAMA) followed by implicit QL with Wilkinson shifts on T accumulated into Q
 * ({@link SymmetricTridiagonalEigen}). O(n^3) time and O(n^2) memory: meant for n up to a few
 * hundred, as the test oracle of the iterative solvers.
 *
 * <p>Backward stable: the computed pairs are exact for some A + E with ||E||_2 <= p(n) u ||A||_2
 * (u = 2^-53, p a modest polynomial, in practice O(n)), so by Weyl |lambda^_i - lambda_i| <=
 * ||E||_2, ||A v_i - lambda^_i v_i|| = O(n u ||A||_2), and V'V = I to O(n u).
 *
 * <p>Input: a row-major n x n array that must be square, finite and symmetric within a tolerance:
 * |a_ij - a_ji| <= tol * max_kl |a_kl| (default {@link #DEFAULT_SYMMETRY_TOLERANCE}); the solver
 * then works on (A + A')/2. Each eigenvector has its largest-magnitude component (the first such
 * on ties) positive, so results are reproducible.
 */
public final class DenseSymmetricEigen {

  /**
   * Default relative symmetry tolerance, 1e-12 (about 4500 u): covers the rounding of a matrix
   * assembled in f64 from symmetric formulas, such as Q diag(lambda) Q' (error about n u max|a|
   * for n up to a few thousand). A finite-difference Hessian is only symmetric to its truncation
   * error: symmetrise it or pass a tolerance.
   */
  public static final double DEFAULT_SYMMETRY_TOLERANCE = 1e-12;

  private DenseSymmetricEigen() {}

  /** Eigenpairs of the row-major n x n symmetric {@code a}, eigenvalues ascending. */
  public static EigenPairs decompose(int n, double[] a) {
    return decompose(n, a, DEFAULT_SYMMETRY_TOLERANCE);
  }

  /** As {@link #decompose(int, double[])} with a relative symmetry tolerance. */
  public static EigenPairs decompose(int n, double[] a, double symmetryTolerance) {
    double[] v = symmetrisedCopy(n, a, symmetryTolerance);
    double[] values = new double[n];
    double[][] vectors = new double[n][];
    if (n == 0) {
      return new EigenPairs(values, vectors);
    }
    double[] e = new double[n];
    tred2(n, v, values, e);
    // tred2 leaves e[i] = T_{i-1,i}; the QL core wants e[i] = T_{i,i+1}.
    System.arraycopy(e, 1, e, 0, n - 1);
    double[] vt = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < n; k++) {
        vt[i * n + k] = v[k * n + i];
      }
    }
    SymmetricTridiagonalEigen.ql(n, values, e, vt, n);
    for (int i = 0; i < n; i++) {
      double[] x = java.util.Arrays.copyOfRange(vt, i * n, (i + 1) * n);
      int big = 0;
      for (int k = 1; k < n; k++) {
        if (Math.abs(x[k]) > Math.abs(x[big])) {
          big = k;
        }
      }
      if (x[big] < 0) {
        for (int k = 0; k < n; k++) {
          x[k] = -x[k];
        }
      }
      vectors[i] = x;
    }
    return new EigenPairs(values, vectors);
  }

  /** Eigenpairs of a square symmetric matrix given as rows. */
  public static EigenPairs decompose(double[][] rows) {
    int n = rows.length;
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      if (rows[i].length != n) {
        throw new IllegalArgumentException(
            "not square: row " + i + " has " + rows[i].length + " entries, expected " + n);
      }
      System.arraycopy(rows[i], 0, a, i * n, n);
    }
    return decompose(n, a);
  }

  /**
   * Validates a row-major n x n matrix (length n*n, finite, |a_ij - a_ji| <= tol * max|a|) and
   * returns (A + A')/2 as a new array.
   */
  static double[] symmetrisedCopy(int n, double[] a, double tol) {
    if (n < 0 || a.length != (long) n * n) {
      throw new IllegalArgumentException("not a square matrix: " + a.length
          + " entries for n = " + n + " (expected n*n = " + ((long) n * n) + ")");
    }
    if (!(tol >= 0.0)) {
      throw new IllegalArgumentException("symmetry tolerance " + tol + " must be >= 0");
    }
    double max = 0.0;
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new IllegalArgumentException(
            "non-finite entry " + a[i] + " at (" + i / n + ", " + i % n + ")");
      }
      max = Math.max(max, Math.abs(a[i]));
    }
    double[] s = new double[n * n];
    for (int i = 0; i < n; i++) {
      s[i * n + i] = a[i * n + i];
      for (int j = i + 1; j < n; j++) {
        double x = a[i * n + j];
        double y = a[j * n + i];
        if (Math.abs(x - y) > tol * max) {
          throw new IllegalArgumentException(String.format(
              "matrix is not symmetric: a[%d][%d] = %s but a[%d][%d] = %s; |difference| %.3e > "
                  + "tolerance %.3e * max|a| %.3e (symmetrise it or pass a larger tolerance)",
              i, j, x, j, i, y, Math.abs(x - y), tol, max));
        }
        double m = 0.5 * (x + y);
        s[i * n + j] = m;
        s[j * n + i] = m;
      }
    }
    return s;
  }

  /**
   * Householder tridiagonalisation (EISPACK tred2 / JAMA), in place on the row-major n x n array
   * v: on entry the symmetric matrix, on exit the orthogonal Q with A = Q T Q'; d receives the
   * diagonal of T and e[i] = T_{i-1,i} for i >= 1 (e[0] = 0).
   */
  private static void tred2(int n, double[] v, double[] d, double[] e) {
    for (int j = 0; j < n; j++) {
      d[j] = v[(n - 1) * n + j];
    }
    for (int i = n - 1; i > 0; i--) {
      double scale = 0.0;
      double h = 0.0;
      for (int k = 0; k < i; k++) {
        scale += Math.abs(d[k]);
      }
      if (scale == 0.0) {
        e[i] = d[i - 1];
        for (int j = 0; j < i; j++) {
          d[j] = v[(i - 1) * n + j];
          v[i * n + j] = 0.0;
          v[j * n + i] = 0.0;
        }
      } else {
        for (int k = 0; k < i; k++) {
          d[k] /= scale;
          h += d[k] * d[k];
        }
        double f = d[i - 1];
        double g = Math.sqrt(h);
        if (f > 0) {
          g = -g;
        }
        e[i] = scale * g;
        h -= f * g;
        d[i - 1] = f - g;
        for (int j = 0; j < i; j++) {
          e[j] = 0.0;
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          v[j * n + i] = f;
          g = e[j] + v[j * n + j] * f;
          for (int k = j + 1; k <= i - 1; k++) {
            g += v[k * n + j] * d[k];
            e[k] += v[k * n + j] * f;
          }
          e[j] = g;
        }
        f = 0.0;
        for (int j = 0; j < i; j++) {
          e[j] /= h;
          f += e[j] * d[j];
        }
        double hh = f / (h + h);
        for (int j = 0; j < i; j++) {
          e[j] -= hh * d[j];
        }
        for (int j = 0; j < i; j++) {
          f = d[j];
          g = e[j];
          for (int k = j; k <= i - 1; k++) {
            v[k * n + j] -= f * e[k] + g * d[k];
          }
          d[j] = v[(i - 1) * n + j];
          v[i * n + j] = 0.0;
        }
      }
      d[i] = h;
    }
    // Accumulate the transformations into Q.
    for (int i = 0; i < n - 1; i++) {
      v[(n - 1) * n + i] = v[i * n + i];
      v[i * n + i] = 1.0;
      double h = d[i + 1];
      if (h != 0.0) {
        for (int k = 0; k <= i; k++) {
          d[k] = v[k * n + i + 1] / h;
        }
        for (int j = 0; j <= i; j++) {
          double g = 0.0;
          for (int k = 0; k <= i; k++) {
            g += v[k * n + i + 1] * v[k * n + j];
          }
          for (int k = 0; k <= i; k++) {
            v[k * n + j] -= g * d[k];
          }
        }
      }
      for (int k = 0; k <= i; k++) {
        v[k * n + i + 1] = 0.0;
      }
    }
    for (int j = 0; j < n; j++) {
      d[j] = v[(n - 1) * n + j];
      v[(n - 1) * n + j] = 0.0;
    }
    v[(n - 1) * n + n - 1] = 1.0;
    e[0] = 0.0;
  }
}
