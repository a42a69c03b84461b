package org.tca.numerics.kernels.scalar;

import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;

/**
 * The scalar reference implementation of {@link DoubleKernels}: plain loops, f64 accumulation in
 * the natural order. Always present; the baseline every Vector API kernel is measured against.
 */
@SuppressWarnings("cast") // (double) Math.sqrt: redundant in the f64 twin
public final class ScalarDoubleKernels implements DoubleKernels {

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public int vectorBits() {
    return Double.SIZE;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      for (int p = 0; p < k; p++) {
        double aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
        if (transB) {
          for (int j = 0; j < n; j++) {
            c[ci + j] += aip * b[bOff + j * ldb + p];
          }
        } else {
          int bp = bOff + p * ldb;
          for (int j = 0; j < n; j++) {
            c[ci + j] += aip * b[bp + j];
          }
        }
      }
    }
  }

  /** The reference keeps no packed form: 0. */
  @Override
  public int packedSize(int k, int n) {
    return 0;
  }

  /** Nothing to pack (see {@link #packedSize}). */
  @Override
  public void packB(boolean transB, int k, int n, double alpha, double[] b, int bOff, int ldb,
      double[] bp, int bpOff) {}

  /** Exactly {@link #gemm} (the packed form is empty). */
  @Override
  public void gemmPacked(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] bp, int bpOff,
      double[] c, int cOff, int ldc) {
    gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }

  @Override
  public void gemv(int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < m; i++) {
      double s = 0d;
      int ai = aOff + i * lda;
      for (int j = 0; j < n; j++) {
        s += a[ai + j] * x[xOff + j];
      }
      y[yOff + i] += alpha * s;
    }
  }

  @Override
  public void gemvT(int m, int n, double alpha, double[] a, int aOff, int lda,
      double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < m; i++) {
      double xi = alpha * x[xOff + i];
      int ai = aOff + i * lda;
      for (int j = 0; j < n; j++) {
        y[yOff + j] += xi * a[ai + j];
      }
    }
  }

  @Override
  public void decayedRank1(int m, int n, double decay, double alpha, double[] x, int xOff,
      double[] y, int yOff, double[] e, int eOff, int lde) {
    for (int i = 0; i < m; i++) {
      double xi = alpha * x[xOff + i];
      int ei = eOff + i * lde;
      for (int j = 0; j < n; j++) {
        e[ei + j] = decay * e[ei + j] + xi * y[yOff + j];
      }
    }
  }

  @Override
  public void rank1From(int m, int n, double beta, double[] b, int bOff, int ldb, double alpha,
      double[] x, int xOff, double[] y, int yOff, double[] e, int eOff, int lde) {
    for (int i = 0; i < m; i++) {
      double xi = alpha * x[xOff + i];
      int ei = eOff + i * lde;
      int bi = bOff + i * ldb;
      for (int j = 0; j < n; j++) {
        double t = xi * y[yOff + j];
        e[ei + j] = b == null ? 0d + t : beta * b[bi + j] + t;
      }
    }
  }

  @Override
  public void subtractRank1(int m, int n, double a, double[] x, int xOff, double[] y, int yOff,
      double[] w, int wOff, int ldw) {
    for (int i = 0; i < m; i++) {
      double xi = x[xOff + i];
      int wi = wOff + i * ldw;
      for (int j = 0; j < n; j++) {
        w[wi + j] -= a * (0d + xi * y[yOff + j]);
      }
    }
  }

  @Override
  public void subtractDecayedRank1(int m, int n, double a, double beta, double[] x, int xOff,
      double[] y, int yOff, double[] w, int wOff, int ldw) {
    for (int i = 0; i < m; i++) {
      double xi = x[xOff + i];
      int wi = wOff + i * ldw;
      for (int j = 0; j < n; j++) {
        w[wi + j] -= a * (beta * w[wi + j] + xi * y[yOff + j]);
      }
    }
  }

  @Override
  public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void subtractScaled(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] -= alpha * x[xOff + i];
    }
  }

  @Override
  public void momentum(int n, double s, double mu, double eta, boolean nesterov, double[] g,
      int gOff, double[] b, double[] p, int off) {
    for (int i = off; i < off + n; i++) {
      double h = s * g[gOff + i - off];
      double bi = mu * b[i] + h;
      b[i] = bi;
      p[i] -= nesterov ? eta * (h + mu * bi) : eta * bi;
    }
  }

  @Override
  public void adam(int n, double s, double b1, double c1, double b2, double c2, double step, double r,
      double e, double[] g, int gOff, double[] m, double[] v, double[] p, int off) {
    for (int i = off; i < off + n; i++) {
      double h = s * g[gOff + i - off];
      double mi = b1 * m[i] + c1 * h;
      double vi = b2 * v[i] + c2 * (h * h);
      m[i] = mi;
      v[i] = vi;
      p[i] -= step * (mi / ((double) Math.sqrt(vi) * r + e));
    }
  }

  @Override
  public void axpby(int n, double alpha, double[] x, int xOff, double beta, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
    }
  }

  @Override
  public void scale(int n, double alpha, double[] x, int xOff) {
    for (int i = 0; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  @Override
  public void mul(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff) {
    for (int i = 0; i < n; i++) {
      z[zOff + i] = x[xOff + i] * y[yOff + i];
    }
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    double s = 0d;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i] * y[yOff + i];
    }
    return s;
  }

  @Override
  public double sum(int n, double[] x, int xOff) {
    double s = 0d;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i];
    }
    return s;
  }

  @Override
  public double sumSquares(int n, double[] x, int xOff) {
    double s = 0d;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i] * x[xOff + i];
    }
    return s;
  }

  @Override
  public double maxAbs(int n, double[] x, int xOff) {
    double m = 0d;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, Math.abs(x[xOff + i])); // Math.max propagates NaN
    }
    return m;
  }

  @Override
  public void activation(Activation f, int n, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (double) f.apply(x[xOff + i]);
    }
  }

  @Override
  public void activationDerivative(Activation f, int n, double[] x, int xOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (double) f.derivative(x[xOff + i]);
    }
  }

  @Override
  public void mulActivationDerivative(Activation f, int n, double[] x, int xOff,
      double[] g, int gOff, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = g[gOff + i] * (double) f.derivative(x[xOff + i]);
    }
  }

  @Override
  public void softmaxRows(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double max = rowMax(n, x, xr);
      double s = 0d;
      for (int j = 0; j < n; j++) {
        double e = (double) StrictMath.exp(x[xr + j] - max);
        y[yr + j] = e;
        s += e;
      }
      double inv = 1d / s;
      for (int j = 0; j < n; j++) {
        y[yr + j] *= inv;
      }
    }
  }

  @Override
  public void logSoftmaxRows(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double max = rowMax(n, x, xr);
      double s = 0d;
      for (int j = 0; j < n; j++) {
        s += (double) StrictMath.exp(x[xr + j] - max);
      }
      double shift = max + (double) StrictMath.log(s);
      for (int j = 0; j < n; j++) {
        y[yr + j] = x[xr + j] - shift;
      }
    }
  }

  @Override
  public double softmaxCrossEntropy(int m, int n, double[] x, int xOff, int ldx, int[] labels,
      int labelsOff, double[] grad, int gradOff, int ldg) {
    double loss = 0d;
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int label = labels[labelsOff + r];
      if (label < 0 || label >= n) {
        throw new IllegalArgumentException("label " + label + " at row " + r + " is outside [0, " + n + ")");
      }
      double max = rowMax(n, x, xr);
      double s = 0d;
      for (int j = 0; j < n; j++) {
        s += (double) StrictMath.exp(x[xr + j] - max);
      }
      double logS = (double) StrictMath.log(s);
      loss += max + logS - x[xr + label];
      if (grad != null) {
        int gr = gradOff + r * ldg;
        double inv = 1d / s;
        for (int j = 0; j < n; j++) {
          grad[gr + j] = (double) StrictMath.exp(x[xr + j] - max) * inv;
        }
        grad[gr + label] -= 1d;
      }
    }
    return loss;
  }

  private static double rowMax(int n, double[] x, int off) {
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, x[off + j]);
    }
    return max;
  }

  @Override
  public int threshold(int n, int first, double theta, double beta, double rho, double c, int hold,
      double[] v, int vOff, double[] aPrev, int apOff, double[] a, int aOff, double[] zPrev,
      int zpOff, double[] z, int zOff, double[] d, int dOff, int[] h, int hOff, int[] events,
      int count) {
    int m = count;
    for (int i = 0; i < n; i++) {
      double margin = v[vOff + i] - theta;
      if (i >= first) {
        double ai = rho * aPrev[apOff + i] + zPrev[zpOff + i];
        a[aOff + i] = ai;
        margin -= beta * ai;
      }
      int hi = h[hOff + i];
      if (hi > 0) {
        h[hOff + i] = hi - 1;
        z[zOff + i] = 0d;
        d[dOff + i] = 0d;
      } else {
        boolean fires = margin > 0d;
        z[zOff + i] = fires ? 1d : 0d;
        d[dOff + i] = c * Math.max(0d, 1d - Math.abs(margin) / theta);
        h[hOff + i] = fires ? hold : 0;
        if (fires && events != null) {
          events[m++] = i;
        }
      }
    }
    return m;
  }

  @Override
  public int nonzeroIndices(int n, double[] x, int xOff, int[] indices, int count) {
    int m = count;
    for (int i = 0; i < n; i++) {
      if (x[xOff + i] != 0d) {
        indices[m++] = i;
      }
    }
    return m;
  }

  @Override
  public int mulNonzero(int n, double[] x, int xOff, double[] y, int yOff, double[] z, int zOff,
      int[] indices, int count) {
    int m = count;
    for (int i = 0; i < n; i++) {
      double zi = x[xOff + i] * y[yOff + i];
      z[zOff + i] = zi;
      if (zi != 0d) {
        indices[m++] = i;
      }
    }
    return m;
  }

  @Override
  public void gatherRows(int n, double beta, double[] a, int aOff, int lda, double[] x, int xOff,
      int[] idx, int count, double[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      double acc = beta == 0d ? 0d : beta * y[yOff + i];
      for (int q = 0; q < count; q++) {
        int r = idx[q];
        acc += x[xOff + r] * a[aOff + r * lda + i];
      }
      y[yOff + i] = acc;
    }
  }
}
