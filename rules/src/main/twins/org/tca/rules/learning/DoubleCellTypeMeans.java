package org.tca.rules.learning;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.storage.DoubleMatrix;

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
final class DoubleCellTypeMeans {

  private DoubleCellTypeMeans() {}

  /**
   * Writes M (types x types, row-major) from W_rec (N x N at {@code wOff}): the row sums of each
   * type's column range as one gemv per type into {@code rows} (types x N, then N ones: length
   * (types + 1) N, the ones at the end set here), then summed over each type's rows in double.
   */
  static void blockMeans(DoubleKernels k, CellTypes types, double[] w, int wOff, double[] m,
      double[] rows) {
    int n = types.neurons();
    int nt = types.count();
    int ones = nt * n;
    java.util.Arrays.fill(rows, ones, ones + n, 1d);
    java.util.Arrays.fill(rows, 0, ones, 0d);
    for (int b = 0; b < nt; b++) {
      k.gemv(n, types.size(b), 1d, w, wOff + types.start(b), n, rows, ones, rows, b * n);
    }
    for (int a = 0; a < nt; a++) {
      for (int b = 0; b < nt; b++) {
        double s = 0;
        for (int j = types.start(a); j < types.end(a); j++) {
          s += rows[b * n + j];
        }
        m[a * nt + b] = (double) (s / ((double) types.size(a) * types.size(b)));
      }
    }
  }

  /** sums[alpha] = S_alpha(c) for the N values of c at {@code cOff} (a plain loop: O(N)). */
  static void typeSums(CellTypes types, double[] c, int cOff, double[] sums, int sOff) {
    for (int a = 0; a < types.count(); a++) {
      double s = 0d;
      for (int j = cOff + types.start(a), end = cOff + types.end(a); j < end; j++) {
        s += c[j];
      }
      sums[sOff + a] = s;
    }
  }

  /**
   * Type sums of {@code rows} rows of x (N wide, leading dimension N, from {@code xOff}), one
   * gemv per type over its column range: out[alpha * rows + r] = S_alpha(row r) (overwritten).
   * {@code ones} holds at least N ones.
   */
  static void rowTypeSums(DoubleKernels k, CellTypes types, int rows, double[] x, int xOff,
      double[] ones, double[] out, int outOff) {
    int n = types.neurons();
    java.util.Arrays.fill(out, outOff, outOff + types.count() * rows, 0d);
    for (int a = 0; a < types.count(); a++) {
      k.gemv(rows, types.size(a), 1d, x, xOff + types.start(a), n, ones, 0, out,
          outOff + a * rows);
    }
  }

  /**
   * x[row r][p] += v[type(p) * rows + r] for {@code rows} rows of x (leading dimension N), one
   * rank-1 update per type over its column range. {@code ones} holds at least N ones.
   */
  static void addRowsByType(DoubleKernels k, CellTypes types, int rows, double[] v, int vOff,
      double[] ones, double[] x, int xOff) {
    for (int b = 0; b < types.count(); b++) {
      k.decayedRank1(rows, types.size(b), 1d, 1d, v, vOff + b * rows, ones, 0, x,
          xOff + types.start(b), types.neurons());
    }
  }

  /**
   * out[beta] = coeff * sum_alpha M[alpha][beta] sums[alpha], the value (Wt' c)_p shared by every
   * neuron p of type beta (times coeff), from the type sums of c.
   */
  static void transposedProduct(CellTypes types, double[] m, double coeff, double[] sums, int sOff,
      double[] out, int outOff) {
    int nt = types.count();
    for (int b = 0; b < nt; b++) {
      double s = 0d;
      for (int a = 0; a < nt; a++) {
        s += m[a * nt + b] * sums[sOff + a];
      }
      out[outOff + b] = coeff * s;
    }
  }

  /** Adds value[type(p)] to x[xOff + p] for every neuron p. */
  static void addByType(CellTypes types, double[] value, int vOff, double[] x, int xOff) {
    for (int b = 0; b < types.count(); b++) {
      double v = value[vOff + b];
      if (v != 0d) {
        for (int p = xOff + types.start(b), end = xOff + types.end(b); p < end; p++) {
          x[p] += v;
        }
      }
    }
  }

  /** The cell-type assignment as an N x 1 matrix (0 = E, 1 = I), for provenance files. */
  static DoubleMatrix assignmentMatrix(CellTypes types) {
    int[] a = types.assignment();
    double[] m = new double[a.length];
    for (int j = 0; j < a.length; j++) {
      m[j] = a[j];
    }
    return DoubleMatrix.fromDense(m, a.length, 1);
  }
}
