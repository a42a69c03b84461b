package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * gatherRows, y = beta y + sum_q x_(idx_q) A[idx_q, :] over listed rows, with one accumulator
 * vector per vector of y kept in a register across the rows: blocks of seven vectors, then six,
 * then one at a time, then a scalar tail. Seven independent fused multiply-add chains per listed
 * row hide the fma latency (one accumulator per block would wait on it), and rows padded to a
 * multiple of the vector length leave no scalar tail. Every element is rounded the same way in
 * every block: beta y, then one fused multiply-add per listed row in list order.
 */
final class VectorDoubleGather {

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorDoubleGather() {}

  static void gatherRows(int n, double beta, double[] a, int aOff, int lda, double[] x, int xOff,
      int[] idx, int count, double[] y, int yOff) {
    if (beta == 0d) {
      java.util.Arrays.fill(y, yOff, yOff + n, 0d);
    }
    int bound = S.loopBound(n);
    int i = 0;
    for (; i + 7 * L <= bound; i += 7 * L) {
      seven(beta, a, aOff + i, lda, x, xOff, idx, count, y, yOff + i);
    }
    if (i + 6 * L <= bound) {
      six(beta, a, aOff + i, lda, x, xOff, idx, count, y, yOff + i);
      i += 6 * L;
    }
    for (; i < bound; i += L) {
      DoubleVector acc = DoubleVector.fromArray(S, y, yOff + i).mul(beta);
      for (int q = 0; q < count; q++) {
        int r = idx[q];
        acc = DoubleVector.fromArray(S, a, aOff + r * lda + i)
            .fma(DoubleVector.broadcast(S, x[xOff + r]), acc);
      }
      acc.intoArray(y, yOff + i);
    }
    for (int j = i; j < n; j++) {
      y[yOff + j] *= beta;
    }
    for (int q = 0; q < count; q++) {
      int r = idx[q];
      double xr = x[xOff + r];
      int ar = aOff + r * lda;
      for (int j = i; j < n; j++) {
        y[yOff + j] = Math.fma(xr, a[ar + j], y[yOff + j]);
      }
    }
  }

  /** Seven vectors of y from {@code y0}, columns from {@code a0} of each listed row. */
  private static void seven(double beta, double[] a, int a0, int lda, double[] x, int xOff,
      int[] idx, int count, double[] y, int y0) {
    DoubleVector c0 = DoubleVector.fromArray(S, y, y0).mul(beta);
    DoubleVector c1 = DoubleVector.fromArray(S, y, y0 + L).mul(beta);
    DoubleVector c2 = DoubleVector.fromArray(S, y, y0 + 2 * L).mul(beta);
    DoubleVector c3 = DoubleVector.fromArray(S, y, y0 + 3 * L).mul(beta);
    DoubleVector c4 = DoubleVector.fromArray(S, y, y0 + 4 * L).mul(beta);
    DoubleVector c5 = DoubleVector.fromArray(S, y, y0 + 5 * L).mul(beta);
    DoubleVector c6 = DoubleVector.fromArray(S, y, y0 + 6 * L).mul(beta);
    for (int q = 0; q < count; q++) {
      int r = idx[q];
      int ar = a0 + r * lda;
      DoubleVector xr = DoubleVector.broadcast(S, x[xOff + r]);
      c0 = DoubleVector.fromArray(S, a, ar).fma(xr, c0);
      c1 = DoubleVector.fromArray(S, a, ar + L).fma(xr, c1);
      c2 = DoubleVector.fromArray(S, a, ar + 2 * L).fma(xr, c2);
      c3 = DoubleVector.fromArray(S, a, ar + 3 * L).fma(xr, c3);
      c4 = DoubleVector.fromArray(S, a, ar + 4 * L).fma(xr, c4);
      c5 = DoubleVector.fromArray(S, a, ar + 5 * L).fma(xr, c5);
      c6 = DoubleVector.fromArray(S, a, ar + 6 * L).fma(xr, c6);
    }
    c0.intoArray(y, y0);
    c1.intoArray(y, y0 + L);
    c2.intoArray(y, y0 + 2 * L);
    c3.intoArray(y, y0 + 3 * L);
    c4.intoArray(y, y0 + 4 * L);
    c5.intoArray(y, y0 + 5 * L);
    c6.intoArray(y, y0 + 6 * L);
  }

  /** Six vectors of y from {@code y0}, as {@link #seven}. */
  private static void six(double beta, double[] a, int a0, int lda, double[] x, int xOff,
      int[] idx, int count, double[] y, int y0) {
    DoubleVector c0 = DoubleVector.fromArray(S, y, y0).mul(beta);
    DoubleVector c1 = DoubleVector.fromArray(S, y, y0 + L).mul(beta);
    DoubleVector c2 = DoubleVector.fromArray(S, y, y0 + 2 * L).mul(beta);
    DoubleVector c3 = DoubleVector.fromArray(S, y, y0 + 3 * L).mul(beta);
    DoubleVector c4 = DoubleVector.fromArray(S, y, y0 + 4 * L).mul(beta);
    DoubleVector c5 = DoubleVector.fromArray(S, y, y0 + 5 * L).mul(beta);
    for (int q = 0; q < count; q++) {
      int r = idx[q];
      int ar = a0 + r * lda;
      DoubleVector xr = DoubleVector.broadcast(S, x[xOff + r]);
      c0 = DoubleVector.fromArray(S, a, ar).fma(xr, c0);
      c1 = DoubleVector.fromArray(S, a, ar + L).fma(xr, c1);
      c2 = DoubleVector.fromArray(S, a, ar + 2 * L).fma(xr, c2);
      c3 = DoubleVector.fromArray(S, a, ar + 3 * L).fma(xr, c3);
      c4 = DoubleVector.fromArray(S, a, ar + 4 * L).fma(xr, c4);
      c5 = DoubleVector.fromArray(S, a, ar + 5 * L).fma(xr, c5);
    }
    c0.intoArray(y, y0);
    c1.intoArray(y, y0 + L);
    c2.intoArray(y, y0 + 2 * L);
    c3.intoArray(y, y0 + 3 * L);
    c4.intoArray(y, y0 + 4 * L);
    c5.intoArray(y, y0 + 5 * L);
  }
}
