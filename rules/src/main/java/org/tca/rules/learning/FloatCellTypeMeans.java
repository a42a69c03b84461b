package org.tca.rules.learning;

import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.storage.FloatMatrix;

/**
 * The cell-type average of W_rec and its transposed product, for the cell-type rules (MDGL
 * cell-type, ModProp). With types alpha, beta of sizes n_alpha, n_beta ({@link CellTypes}):
 *
 * <pre>
 *   M[alpha][beta] = (1 / (n_alpha n_beta)) sum_{j in alpha, i in beta} W_rec[j][i]
 *   Wt[j][p]       = M[type(j)][type(p)]               (N x N, never formed)
 *   (Wt' c)_p      = sum_alpha M[alpha][type(p)] S_alpha(c),   S_alpha(c) = sum_{j in alpha} c_j
 * </pre>
 *
 * The mean runs over all n_alpha n_beta pairs, absent connections (the zero diagonal without
 * autapses, a sparse mask) included, so Wt carries the same total type-to-type weight as W_rec;
 * Wt has a nonzero diagonal. The product costs O(N) instead of the O(N^2) of W_rec' c.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
final class FloatCellTypeMeans {

  private FloatCellTypeMeans() {}

  /** Writes M (types x types, row-major) from W_rec (N x N at {@code wOff}), summing in double. */
  static void blockMeans(FloatKernels k, CellTypes types, float[] w, int wOff, float[] m) {
    int n = types.neurons();
    int nt = types.count();
    for (int a = 0; a < nt; a++) {
      for (int b = 0; b < nt; b++) {
        double s = 0;
        for (int j = types.start(a); j < types.end(a); j++) {
          s += k.sum(types.size(b), w, wOff + j * n + types.start(b));
        }
        m[a * nt + b] = (float) (s / ((double) types.size(a) * types.size(b)));
      }
    }
  }

  /** sums[alpha] = S_alpha(c) for the N values of c at {@code cOff}. */
  static void typeSums(FloatKernels k, CellTypes types, float[] c, int cOff, float[] sums,
      int sOff) {
    for (int a = 0; a < types.count(); a++) {
      sums[sOff + a] = k.sum(types.size(a), c, cOff + types.start(a));
    }
  }

  /**
   * out[beta] = coeff * sum_alpha M[alpha][beta] sums[alpha], the value (Wt' c)_p shared by every
   * neuron p of type beta (times coeff), from the type sums of c.
   */
  static void transposedProduct(CellTypes types, float[] m, float coeff, float[] sums, int sOff,
      float[] out, int outOff) {
    int nt = types.count();
    for (int b = 0; b < nt; b++) {
      float s = 0f;
      for (int a = 0; a < nt; a++) {
        s += m[a * nt + b] * sums[sOff + a];
      }
      out[outOff + b] = coeff * s;
    }
  }

  /** Adds value[type(p)] to x[xOff + p] for every neuron p. */
  static void addByType(CellTypes types, float[] value, int vOff, float[] x, int xOff) {
    for (int b = 0; b < types.count(); b++) {
      float v = value[vOff + b];
      if (v != 0f) {
        for (int p = xOff + types.start(b), end = xOff + types.end(b); p < end; p++) {
          x[p] += v;
        }
      }
    }
  }

  /** The cell-type assignment as an N x 1 matrix (0 = E, 1 = I), for provenance files. */
  static FloatMatrix assignmentMatrix(CellTypes types) {
    int[] a = types.assignment();
    float[] m = new float[a.length];
    for (int j = 0; j < a.length; j++) {
      m[j] = a[j];
    }
    return FloatMatrix.fromDense(m, a.length, 1);
  }
}
