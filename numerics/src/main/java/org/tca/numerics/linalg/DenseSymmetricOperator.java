package org.tca.numerics.linalg;

import java.util.Arrays;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * A {@link SymmetricOperator} over a dense symmetric n x n matrix stored row-major:
 * {@code out_i = sum_j a[i*n + j] v_j} (one f64 gemv). For tests and small problems.
 *
 * <p>The matrix is validated (square, finite, symmetric within
 * {@link DenseSymmetricEigen#DEFAULT_SYMMETRY_TOLERANCE} relative to max |a_ij| unless another
 * tolerance is given), then copied and symmetrised as (A + A')/2, so later changes to the caller's
 * array have no effect and the operator is exactly symmetric.
 */
public final class DenseSymmetricOperator implements SymmetricOperator {

  private final int n;
  private final double[] a;
  private final DoubleKernels k = Kernels.f64();

  /** Wraps a copy of the row-major n x n symmetric matrix {@code a} (length n*n). */
  public DenseSymmetricOperator(int n, double[] a) {
    this(n, a, DenseSymmetricEigen.DEFAULT_SYMMETRY_TOLERANCE);
  }

  /** As {@link #DenseSymmetricOperator(int, double[])} with a relative symmetry tolerance. */
  public DenseSymmetricOperator(int n, double[] a, double symmetryTolerance) {
    this.a = DenseSymmetricEigen.symmetrisedCopy(n, a, symmetryTolerance);
    this.n = n;
  }

  @Override
  public int dimension() {
    return n;
  }

  @Override
  public void apply(double[] v, double[] out) {
    if (v.length != n || out.length != n) {
      throw new IllegalArgumentException(
          "vectors of length " + v.length + " and " + out.length + ", expected " + n);
    }
    Arrays.fill(out, 0.0);
    k.gemv(n, n, 1.0, a, 0, n, v, 0, out, 0);
  }

  /** Entry (i, j) of the (symmetrised) matrix. */
  public double get(int i, int j) {
    return a[i * n + j];
  }
}
