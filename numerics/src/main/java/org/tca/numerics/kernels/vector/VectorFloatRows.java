package org.tca.numerics.kernels.vector;

import static jdk.incubator.vector.VectorOperators.MAX;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API row-wise kernels over m x n row-major blocks: softmax, log-softmax and softmax
 * cross-entropy. Per row, with d_j = x_j - max_k x_k and s = sum_j exp(d_j) (so every exponent
 * is &lt;= 0 and nothing overflows, whatever the logits):
 * <pre>
 *   softmax:      y_j = exp(d_j) / s
 *   log-softmax:  y_j = d_j - log s
 *   cross-entropy loss_r = log s - d_label,  grad_j = exp(d_j) / s - [j == label]
 * </pre>
 * (log s - d_label is the scalar reference's max + log s - x_label summed in the order that
 * keeps huge logits from swamping the small difference.)
 *
 * <p>Rows are often short (10 classes), shorter than one vector, so the vector passes run whole
 * vectors of {@code SPECIES_PREFERRED} unmasked and finish the row with one masked vector instead
 * of a scalar loop. The row max uses the lanewise MAX (Math.max semantics; exact, so its order
 * does not matter), so a NaN logit makes the row NaN, as in the scalar reference. The
 * exponentials and their sum are scalar, StrictMath and in index order: the Vector API's EXP
 * operator and its ADD reduction round differently in interpreted and compiled code, which would
 * make a run's bits depend on JIT timing.
 */
final class VectorFloatRows {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final int L2 = 2 * L;

  private VectorFloatRows() {}

  static void softmaxRows(int m, int n, float[] x, int xOff, int ldx,
      float[] y, int yOff, int ldy) {
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      float max = rowMax(n, x, xr);
      float s = expStore(n, x, xr, max, y, yr);
      scaleRow(n, 1f / s, y, yr);
    }
  }

  static void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx,
      float[] y, int yOff, int ldy) {
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      float max = rowMax(n, x, xr);
      float logS = (float) StrictMath.log(expSum(n, x, xr, max));
      shiftRow(n, x, xr, max, logS, y, yr);
    }
  }

  static float softmaxCrossEntropy(int m, int n, float[] x, int xOff, int ldx, int[] labels,
      int labelsOff, float[] grad, int gradOff, int ldg) {
    float loss = 0f;
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int label = labels[labelsOff + r];
      if (label < 0 || label >= n) {
        throw new IllegalArgumentException(
            "label " + label + " at row " + r + " is outside [0, " + n + ")");
      }
      float max = rowMax(n, x, xr);
      int gr = gradOff + r * ldg;
      float s = grad == null ? expSum(n, x, xr, max) : expStore(n, x, xr, max, grad, gr);
      loss += (float) StrictMath.log(s) - (x[xr + label] - max);
      if (grad != null) {
        scaleRow(n, 1f / s, grad, gr);
        grad[gr + label] -= 1f;
      }
    }
    return loss;
  }

  /** max_j x_j over one row (-Inf for n = 0; NaN if any x_j is NaN). */
  private static float rowMax(int n, float[] x, int off) {
    FloatVector a0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    FloatVector a1 = a0;
    int bound2 = n - n % L2;
    int j = 0;
    for (; j < bound2; j += L2) {
      a0 = a0.max(FloatVector.fromArray(S, x, off + j));
      a1 = a1.max(FloatVector.fromArray(S, x, off + j + L));
    }
    if (j + L <= n) {
      a0 = a0.max(FloatVector.fromArray(S, x, off + j));
      j += L;
    }
    float max = a0.max(a1).reduceLanes(MAX);
    if (j < n) {
      VectorMask<Float> k = S.indexInRange(j, n);
      FloatVector v = FloatVector.fromArray(S, x, off + j, k);
      max = Math.max(max, v.reduceLanes(MAX, k));
    }
    return max;
  }

  /** sum_j exp(x_j - max) over one row, in index order. */
  private static float expSum(int n, float[] x, int off, float max) {
    float s = 0f;
    for (int j = 0; j < n; j++) {
      s += (float) StrictMath.exp(x[off + j] - max);
    }
    return s;
  }

  /** y_j = exp(x_j - max) over one row; returns their sum, in index order. */
  private static float expStore(int n, float[] x, int xOff, float max, float[] y, int yOff) {
    float s = 0f;
    for (int j = 0; j < n; j++) {
      float e = (float) StrictMath.exp(x[xOff + j] - max);
      y[yOff + j] = e;
      s += e;
    }
    return s;
  }

  /** y_j *= c over one row. */
  private static void scaleRow(int n, float c, float[] y, int off) {
    int bound = S.loopBound(n);
    int j = 0;
    for (; j < bound; j += L) {
      FloatVector.fromArray(S, y, off + j).mul(c).intoArray(y, off + j);
    }
    if (j < n) {
      VectorMask<Float> k = S.indexInRange(j, n);
      FloatVector.fromArray(S, y, off + j, k).mul(c).intoArray(y, off + j, k);
    }
  }

  /** y_j = (x_j - max) - logS over one row. */
  private static void shiftRow(int n, float[] x, int xOff, float max, float logS,
      float[] y, int yOff) {
    FloatVector vmax = FloatVector.broadcast(S, max);
    FloatVector vlog = FloatVector.broadcast(S, logS);
    int bound = S.loopBound(n);
    int j = 0;
    for (; j < bound; j += L) {
      FloatVector.fromArray(S, x, xOff + j).sub(vmax).sub(vlog).intoArray(y, yOff + j);
    }
    if (j < n) {
      VectorMask<Float> k = S.indexInRange(j, n);
      FloatVector.fromArray(S, x, xOff + j, k).sub(vmax).sub(vlog).intoArray(y, yOff + j, k);
    }
  }
}
