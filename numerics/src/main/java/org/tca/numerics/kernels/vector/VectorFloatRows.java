package org.tca.numerics.kernels.vector;

import static jdk.incubator.vector.VectorOperators.MAX;

import java.util.Arrays;
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
 * <p>Rows are often short (10 classes), shorter than one vector. The passes run whole vectors of
 * {@code SPECIES_PREFERRED}; the last partial vector goes through a scratch copy (max and exp,
 * see {@link #rows}) or one masked vector (scaling and shifting), never a scalar loop. The row
 * max uses the lanewise MAX (Math.max semantics; exact, so its order does not matter), so a NaN
 * logit makes the row NaN, as in the scalar reference. The exponentials are
 * {@link VectorFloatMath#exp} (exact IEEE operations only, relative error &lt;= 1.85 u), summed
 * lanewise into one vector (each lane adds in index order) and then across the lanes by
 * {@link VectorFloatLanes#sum}: a fixed order for a given row length, so the bits are the same
 * interpreted and compiled. (The Vector API's EXP operator and its ADD reduction round
 * differently in interpreted and compiled code.) The one log per row is StrictMath.
 */
final class VectorFloatRows {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  /** Modes of {@link #row}. */
  private static final int SOFTMAX = 0;
  private static final int LOG_SOFTMAX = 1;
  private static final int CROSS_ENTROPY = 2;
  private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[3 * L]);

  private VectorFloatRows() {}

  static void softmaxRows(int m, int n, float[] x, int xOff, int ldx,
      float[] y, int yOff, int ldy) {
    rows(SOFTMAX, m, n, x, xOff, ldx, y, yOff, ldy, null, 0);
  }

  static void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx,
      float[] y, int yOff, int ldy) {
    rows(LOG_SOFTMAX, m, n, x, xOff, ldx, y, yOff, ldy, null, 0);
  }

  static float softmaxCrossEntropy(int m, int n, float[] x, int xOff, int ldx, int[] labels,
      int labelsOff, float[] grad, int gradOff, int ldg) {
    return rows(CROSS_ENTROPY, m, n, x, xOff, ldx, grad, gradOff, ldg, labels, labelsOff);
  }

  /**
   * Any of the three kernels, row by row: max (lanewise MAX, exact in any order),
   * e_j = exp(x_j - max) and s = sum_j e_j, then SOFTMAX: y_j = e_j / s; LOG_SOFTMAX:
   * y_j = (x_j - max) - log s; CROSS_ENTROPY: y_j = e_j / s - [j == label] unless y is null,
   * and returns the sum over the rows of log s - (x_label - max) (0 for the other modes).
   *
   * <p>No masks: the last partial vector of a row is copied into a per-thread scratch vector
   * padded with -Inf (which changes neither the max nor, as exp(-Inf) = 0, the sum). Each
   * x_j - max goes through memory (y, or the scratch) into {@link VectorFloatMath#exp}, and the
   * accumulator into the scratch for the lane sum: no vector crosses a call, so nothing is boxed
   * whatever C2 decides to inline.
   */
  private static float rows(int mode, int m, int n, float[] x, int xOff, int ldx,
      float[] y, int yOff, int ldy, int[] labels, int labelsOff) {
    boolean store = mode != LOG_SOFTMAX && y != null;
    int bound = S.loopBound(n);
    int end = bound < n ? bound + L : bound;
    float[] t = TAIL.get(); // x tail at [0, L), padded with -Inf; e tail at [L, 2L); sum at 2L
    if (bound < n) {
      Arrays.fill(t, n - bound, L, Float.NEGATIVE_INFINITY);
    }
    float loss = 0f;
    for (int r = 0; r < m; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      int label = mode == CROSS_ENTROPY ? labels[labelsOff + r] : 0;
      if (label < 0 || label >= n) {
        throw new IllegalArgumentException(
            "label " + label + " at row " + r + " is outside [0, " + n + ")");
      }
      if (bound < n) {
        System.arraycopy(x, xr + bound, t, 0, n - bound);
      }
      // max_j x_j (-Inf for n = 0; NaN if any x_j is NaN)
      FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int j = 0; j < end; j += L) {
        boolean main = j < bound;
        vmax = vmax.max(FloatVector.fromArray(S, main ? x : t, main ? xr + j : 0));
      }
      float max = vmax.reduceLanes(MAX);
      // e_j and their sum: lanes in index order, then across the lanes in a fixed tree
      vmax = FloatVector.broadcast(S, max);
      FloatVector acc = FloatVector.zero(S);
      for (int j = 0; j < end; j += L) {
        boolean main = j < bound;
        float[] es = store && main ? y : t; // e_j in y, or in the scratch at [L, 2L)
        int ei = store && main ? yr + j : L;
        FloatVector.fromArray(S, main ? x : t, main ? xr + j : 0).sub(vmax).intoArray(es, ei);
        VectorFloatMath.exp(es, ei, es, ei);
        acc = acc.add(FloatVector.fromArray(S, es, ei));
      }
      acc.intoArray(t, 2 * L);
      float s = VectorFloatLanes.sum(t, 2 * L);
      if (store && bound < n) {
        System.arraycopy(t, L, y, yr + bound, n - bound);
      }
      if (mode == SOFTMAX) {
        scaleRow(n, 1f / s, y, yr);
      } else if (mode == LOG_SOFTMAX) {
        shiftRow(n, x, xr, max, (float) StrictMath.log(s), y, yr);
      } else {
        if (y != null) {
          scaleRow(n, 1f / s, y, yr);
          y[yr + label] -= 1f;
        }
        loss += (float) StrictMath.log(s) - (x[xr + label] - max);
      }
    }
    return loss;
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
