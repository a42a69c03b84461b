package org.tca.numerics.kernels.scalar;

import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.FloatKernels;

/**
 * The scalar reference implementation of {@link FloatKernels}: plain loops, f32 accumulation in
 * the natural order. Always present; the baseline every Vector API kernel is measured against.
 */
@SuppressWarnings("cast") // (float) Math.sqrt: redundant in the f64 twin
public final class ScalarFloatKernels implements FloatKernels {

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public int vectorBits() {
    return Float.SIZE;
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      int ci = cOff + i * ldc;
      for (int p = 0; p < k; p++) {
        float aip = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
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
  public void packB(boolean transB, int k, int n, float alpha, float[] b, int bOff, int ldb,
      float[] bp, int bpOff) {}

  /** Exactly {@link #gemm} (the packed form is empty). */
  @Override
  public void gemmPacked(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] bp, int bpOff,
      float[] c, int cOff, int ldc) {
    gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }

  @Override
  public void gemv(int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < m; i++) {
      float s = 0f;
      int ai = aOff + i * lda;
      for (int j = 0; j < n; j++) {
        s += a[ai + j] * x[xOff + j];
      }
      y[yOff + i] += alpha * s;
    }
  }

  @Override
  public void gemvT(int m, int n, float alpha, float[] a, int aOff, int lda,
      float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < m; i++) {
      float xi = alpha * x[xOff + i];
      int ai = aOff + i * lda;
      for (int j = 0; j < n; j++) {
        y[yOff + j] += xi * a[ai + j];
      }
    }
  }

  @Override
  public void decayedRank1(int m, int n, float decay, float alpha, float[] x, int xOff,
      float[] y, int yOff, float[] e, int eOff, int lde) {
    for (int i = 0; i < m; i++) {
      float xi = alpha * x[xOff + i];
      int ei = eOff + i * lde;
      for (int j = 0; j < n; j++) {
        e[ei + j] = decay * e[ei + j] + xi * y[yOff + j];
      }
    }
  }

  @Override
  public void rank1From(int m, int n, float beta, float[] b, int bOff, int ldb, float alpha,
      float[] x, int xOff, float[] y, int yOff, float[] e, int eOff, int lde) {
    for (int i = 0; i < m; i++) {
      float xi = alpha * x[xOff + i];
      int ei = eOff + i * lde;
      int bi = bOff + i * ldb;
      for (int j = 0; j < n; j++) {
        float t = xi * y[yOff + j];
        e[ei + j] = b == null ? 0f + t : beta * b[bi + j] + t;
      }
    }
  }

  @Override
  public void subtractRank1(int m, int n, float a, float[] x, int xOff, float[] y, int yOff,
      float[] w, int wOff, int ldw) {
    for (int i = 0; i < m; i++) {
      float xi = x[xOff + i];
      int wi = wOff + i * ldw;
      for (int j = 0; j < n; j++) {
        w[wi + j] -= a * (0f + xi * y[yOff + j]);
      }
    }
  }

  @Override
  public void subtractDecayedRank1(int m, int n, float a, float beta, float[] x, int xOff,
      float[] y, int yOff, float[] w, int wOff, int ldw) {
    for (int i = 0; i < m; i++) {
      float xi = x[xOff + i];
      int wi = wOff + i * ldw;
      for (int j = 0; j < n; j++) {
        w[wi + j] -= a * (beta * w[wi + j] + xi * y[yOff + j]);
      }
    }
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  @Override
  public void subtractScaled(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] -= alpha * x[xOff + i];
    }
  }

  @Override
  public void momentum(int n, float s, float mu, float eta, boolean nesterov, float[] g,
      int gOff, float[] b, float[] p, int off) {
    for (int i = off; i < off + n; i++) {
      float h = s * g[gOff + i - off];
      float bi = mu * b[i] + h;
      b[i] = bi;
      p[i] -= nesterov ? eta * (h + mu * bi) : eta * bi;
    }
  }

  @Override
  public void adam(int n, float s, float b1, float c1, float b2, float c2, float step, float r,
      float e, float[] g, int gOff, float[] m, float[] v, float[] p, int off) {
    for (int i = off; i < off + n; i++) {
      float h = s * g[gOff + i - off];
      float mi = b1 * m[i] + c1 * h;
      float vi = b2 * v[i] + c2 * (h * h);
      m[i] = mi;
      v[i] = vi;
      p[i] -= step * (mi / ((float) Math.sqrt(vi) * r + e));
    }
  }

  @Override
  public void axpby(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
    }
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff) {
    for (int i = 0; i < n; i++) {
      x[xOff + i] *= alpha;
    }
  }

  @Override
  public void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
    for (int i = 0; i < n; i++) {
      z[zOff + i] = x[xOff + i] * y[yOff + i];
    }
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i] * y[yOff + i];
    }
    return s;
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i];
    }
    return s;
  }

  @Override
  public float sumSquares(int n, float[] x, int xOff) {
    float s = 0f;
    for (int i = 0; i < n; i++) {
      s += x[xOff + i] * x[xOff + i];
    }
    return s;
  }

  @Override
  public float maxAbs(int n, float[] x, int xOff) {
    float m = 0f;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, Math.abs(x[xOff + i])); // Math.max propagates NaN
    }
    return m;
  }

  @Override
  public void activation(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (float) f.apply(x[xOff + i]);
    }
  }

  @Override
  public void activationDerivative(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = (float) f.derivative(x[xOff + i]);
    }
  }

  @Override
  public void mulActivationDerivative(Activation f, int n, float[] x, int xOff,
      float[] g, int gOff, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      y[yOff + i] = g[gOff + i] * (float) f.derivative(x[xOff + i]);
    }
  }

  @Override
  public void softmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      float max = rowMax(n, x, xr);
      float s = 0f;
      for (int j = 0; j < n; j++) {
        float e = (float) StrictMath.exp(x[xr + j] - max);
        y[yr + j] = e;
        s += e;
      }
      float inv = 1f / s;
      for (int j = 0; j < n; j++) {
        y[yr + j] *= inv;
      }
    }
  }

  @Override
  public void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      float max = rowMax(n, x, xr);
      float s = 0f;
      for (int j = 0; j < n; j++) {
        s += (float) StrictMath.exp(x[xr + j] - max);
      }
      float shift = max + (float) StrictMath.log(s);
      for (int j = 0; j < n; j++) {
        y[yr + j] = x[xr + j] - shift;
      }
    }
  }

  @Override
  public float softmaxCrossEntropy(int m, int n, float[] x, int xOff, int ldx, int[] labels,
      int labelsOff, float[] grad, int gradOff, int ldg) {
    float loss = 0f;
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int label = labels[labelsOff + r];
      if (label < 0 || label >= n) {
        throw new IllegalArgumentException("label " + label + " at row " + r + " is outside [0, " + n + ")");
      }
      float max = rowMax(n, x, xr);
      float s = 0f;
      for (int j = 0; j < n; j++) {
        s += (float) StrictMath.exp(x[xr + j] - max);
      }
      float logS = (float) StrictMath.log(s);
      loss += max + logS - x[xr + label];
      if (grad != null) {
        int gr = gradOff + r * ldg;
        float inv = 1f / s;
        for (int j = 0; j < n; j++) {
          grad[gr + j] = (float) StrictMath.exp(x[xr + j] - max) * inv;
        }
        grad[gr + label] -= 1f;
      }
    }
    return loss;
  }

  private static float rowMax(int n, float[] x, int off) {
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      max = Math.max(max, x[off + j]);
    }
    return max;
  }

  @Override
  public int threshold(int n, int first, float theta, float beta, float rho, float c, int hold,
      float[] v, int vOff, float[] aPrev, int apOff, float[] a, int aOff, float[] zPrev,
      int zpOff, float[] z, int zOff, float[] d, int dOff, int[] h, int hOff, int[] events,
      int count) {
    int m = count;
    for (int i = 0; i < n; i++) {
      float margin = v[vOff + i] - theta;
      if (i >= first) {
        float ai = rho * aPrev[apOff + i] + zPrev[zpOff + i];
        a[aOff + i] = ai;
        margin -= beta * ai;
      }
      int hi = h[hOff + i];
      if (hi > 0) {
        h[hOff + i] = hi - 1;
        z[zOff + i] = 0f;
        d[dOff + i] = 0f;
      } else {
        boolean fires = margin > 0f;
        z[zOff + i] = fires ? 1f : 0f;
        d[dOff + i] = c * Math.max(0f, 1f - Math.abs(margin) / theta);
        h[hOff + i] = fires ? hold : 0;
        if (fires && events != null) {
          events[m++] = i;
        }
      }
    }
    return m;
  }

  @Override
  public int nonzeroIndices(int n, float[] x, int xOff, int[] indices, int count) {
    int m = count;
    for (int i = 0; i < n; i++) {
      if (x[xOff + i] != 0f) {
        indices[m++] = i;
      }
    }
    return m;
  }

  @Override
  public int mulNonzero(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff,
      int[] indices, int count) {
    int m = count;
    for (int i = 0; i < n; i++) {
      float zi = x[xOff + i] * y[yOff + i];
      z[zOff + i] = zi;
      if (zi != 0f) {
        indices[m++] = i;
      }
    }
    return m;
  }

  @Override
  public void gatherRows(int n, float beta, float[] a, int aOff, int lda, float[] x, int xOff,
      int[] idx, int count, float[] y, int yOff) {
    for (int i = 0; i < n; i++) {
      float acc = beta == 0f ? 0f : beta * y[yOff + i];
      for (int q = 0; q < count; q++) {
        int r = idx[q];
        acc += x[xOff + r] * a[aOff + r * lda + i];
      }
      y[yOff + i] = acc;
    }
  }
}
