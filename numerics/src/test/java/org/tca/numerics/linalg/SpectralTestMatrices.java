package org.tca.numerics.linalg;

import java.util.SplittableRandom;

/**
 * Test matrices with known spectra, A = Q diag(lambda) Q' with Q a seeded random orthogonal
 * matrix (Householder QR of a standard normal matrix), and small dense helpers.
 *
 * <p>Rounding of the construction: each a_ij = sum_k q_ik lambda_k q_jk is a length-n dot
 * product, so |fl(a_ij) - a_ij| <= gamma_n sum_k |q_ik| |lambda_k| |q_jk| <= gamma_n max|lambda|
 * (Cauchy-Schwarz on the unit rows of Q), and Q itself is orthogonal to O(n u). So the stored A
 * has the stated spectrum up to O(n u max|lambda|), which every test bound includes.
 */
final class SpectralTestMatrices {

  /** Unit roundoff of f64, 2^-53. */
  static final double U = Math.ulp(1.0) / 2;

  private SpectralTestMatrices() {}

  /** A symmetric matrix with eigenvalues lambda and eigenvectors the columns of q. */
  static final class Known {
    final int n;
    final double[] a;
    final double[] lambda;
    final double[] q;

    Known(double[] lambda, double[] q) {
      this.n = lambda.length;
      this.lambda = lambda.clone();
      this.q = q;
      this.a = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          double s = 0.0;
          for (int k = 0; k < n; k++) {
            s += q[i * n + k] * lambda[k] * q[j * n + k];
          }
          a[i * n + j] = s;
          a[j * n + i] = s;
        }
      }
    }

    /** The eigenvector of lambda[k] (column k of Q). */
    double[] eigenvector(int k) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = q[i * n + k];
      }
      return v;
    }

    /** ||A||_2 = max |lambda|. */
    double norm() {
      double m = 0.0;
      for (double l : lambda) {
        m = Math.max(m, Math.abs(l));
      }
      return m;
    }

    /** The eigenvalues in ascending order. */
    double[] ascending() {
      double[] s = lambda.clone();
      java.util.Arrays.sort(s);
      return s;
    }

    /** A v by plain f64 loops (independent of the kernels; quick to JIT-compile). */
    SymmetricOperator operator() {
      return new SymmetricOperator() {
        @Override
        public int dimension() {
          return n;
        }

        @Override
        public void apply(double[] v, double[] out) {
          for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int j = 0; j < n; j++) {
              s += a[i * n + j] * v[j];
            }
            out[i] = s;
          }
        }
      };
    }
  }

  static Known withSpectrum(double[] lambda, long seed) {
    return new Known(lambda, randomOrthogonal(lambda.length, seed));
  }

  /** Q from the Householder QR of an n x n standard normal matrix, row-major. */
  static double[] randomOrthogonal(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double[] g = new double[n * n];
    for (int i = 0; i < g.length; i++) {
      g[i] = rnd.nextGaussian();
    }
    double[][] hv = new double[n][];
    for (int k = 0; k < n; k++) {
      double[] v = new double[n - k];
      double s = 0.0;
      for (int i = k; i < n; i++) {
        v[i - k] = g[i * n + k];
        s += v[i - k] * v[i - k];
      }
      double norm = Math.sqrt(s);
      v[0] += v[0] >= 0 ? norm : -norm;
      double vn = 0.0;
      for (double x : v) {
        vn += x * x;
      }
      vn = Math.sqrt(vn);
      if (vn == 0.0) {
        continue;
      }
      for (int i = 0; i < v.length; i++) {
        v[i] /= vn;
      }
      reflect(g, n, k, v, k);
      hv[k] = v;
    }
    double[] q = new double[n * n];
    for (int i = 0; i < n; i++) {
      q[i * n + i] = 1.0;
    }
    for (int k = n - 1; k >= 0; k--) {
      if (hv[k] != null) {
        reflect(q, n, k, hv[k], 0);
      }
    }
    return q;
  }

  /** Rows k.. of m (n x n), columns from col on: m <- (I - 2 v v') m. */
  private static void reflect(double[] m, int n, int k, double[] v, int col) {
    for (int j = col; j < n; j++) {
      double s = 0.0;
      for (int i = k; i < n; i++) {
        s += v[i - k] * m[i * n + j];
      }
      for (int i = k; i < n; i++) {
        m[i * n + j] -= 2 * s * v[i - k];
      }
    }
  }

  /** n evenly spaced values from lo to hi inclusive (lo alone when n = 1). */
  static double[] linspace(double lo, double hi, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = n == 1 ? lo : lo + (hi - lo) * i / (n - 1);
    }
    return x;
  }

  /** The concatenation of the arrays. */
  static double[] concat(double[]... parts) {
    int len = 0;
    for (double[] p : parts) {
      len += p.length;
    }
    double[] out = new double[len];
    int o = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, out, o, p.length);
      o += p.length;
    }
    return out;
  }

  /** A x for the row-major n x n a, accumulated in f64. */
  static double[] multiply(int n, double[] a, double[] x) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0.0;
      for (int j = 0; j < n; j++) {
        s += a[i * n + j] * x[j];
      }
      y[i] = s;
    }
    return y;
  }

  /** ||A v - lambda v||_2. */
  static double residual(int n, double[] a, double lambda, double[] v) {
    double[] av = multiply(n, a, v);
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      double r = av[i] - lambda * v[i];
      s += r * r;
    }
    return Math.sqrt(s);
  }

  static double dot(double[] x, double[] y) {
    double s = 0.0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  static double norm(double[] x) {
    return Math.sqrt(dot(x, x));
  }

  /** max_ij |V V' - I| over the given unit vectors (rows). */
  static double orthonormalityError(double[][] vectors) {
    double worst = 0.0;
    for (int i = 0; i < vectors.length; i++) {
      for (int j = 0; j < vectors.length; j++) {
        double d = dot(vectors[i], vectors[j]) - (i == j ? 1.0 : 0.0);
        worst = Math.max(worst, Math.abs(d));
      }
    }
    return worst;
  }

  /** Counts operator applications: the oracle for the solvers' product counts. */
  static final class CountingOperator implements SymmetricOperator {
    private final SymmetricOperator inner;
    int count;

    CountingOperator(SymmetricOperator inner) {
      this.inner = inner;
    }

    @Override
    public int dimension() {
      return inner.dimension();
    }

    @Override
    public void apply(double[] v, double[] out) {
      count++;
      inner.apply(v, out);
    }
  }
}
