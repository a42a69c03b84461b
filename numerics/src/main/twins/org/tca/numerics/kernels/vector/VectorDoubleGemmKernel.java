package org.tca.numerics.kernels.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernel: one register tile C[0:MR, 0:NR] += A[0:MR, 0:kc] * Bp[0:kc, 0:NR], with
 * MR = 4 rows and NR = 4 vectors of {@code SPECIES_PREFERRED} (L lanes each), held in 16
 * DoubleVector accumulators (of the 32 vector registers of AVX-512). Each step p broadcasts the 4
 * scalars A[r, p] and loads the 4 vectors of row p of the packed B sliver: 16 FMAs per 4 vector
 * loads and 4 broadcasts, enough to keep the FMA units busy from L1/L2.
 *
 * <p>Row r of A starts at {@code a[a_r]} and consecutive p are {@code aps} apart: in place (1 for
 * a row-major A, lda for a transposed one) or in a packed sliver (MR). Bp is the packed B sliver
 * (row p at {@code bp[bi + p * NR]}, alpha already folded in, padding columns zero).
 *
 * <p>Per element the sum over p runs in one lane, one FMA rounding per term, and is added to C
 * once: the rounding of {@link VectorDoubleGemm} (gamma_(k+2) componentwise bound).
 */
final class VectorDoubleGemmKernel {

  static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  static final int L = S.length();
  /** Rows of the register tile. */
  static final int MR = 4;
  /** Columns of the register tile (4 vectors). */
  static final int NR = 4 * L;
  /**
   * Whether a full tile runs as two halves of 2 vectors ({@link #tileHalf}, 8 accumulators):
   * with 256-bit vectors (AVX2) the machine has 16 vector registers, too few for the 16
   * accumulators, 4 B vectors and a broadcast of {@link #tile}, whose spills cost 2-4x. Each
   * element's sum is the same either way, so are the bits.
   */
  static final boolean SPLIT = S.vectorByteSize() == 32;
  /**
   * Rows of the tall half tile {@link #tileTall} that the split path runs on whole groups of rows:
   * 6 x 2 accumulators, 2 B vectors and a broadcast fill 15 of the 16 AVX2 registers, 12 FMAs per
   * 2 vector loads and 6 broadcasts instead of 8 per 2 and 4.
   */
  static final int TALL = 6;

  private VectorDoubleGemmKernel() {}

  /**
   * C[r, j] += sum_p A[r, p] Bp[p, j] for r < rows (rows <= MR) and j < cols (cols <= NR). The
   * row starts a0..a3 must all be valid: callers repeat the last real row for missing ones. A
   * partial tile goes through {@code edge} (MR x NR scratch), so that no masked vector op sits in
   * this method (a bigger method falls off C2's inlining budget and boxes its vectors).
   */
  static void tile(int kc, double[] a, int a0, int a1, int a2, int a3, int aps,
      double[] bp, int bi, double[] c, int ci, int ldc, int rows, int cols, double[] edge) {
    DoubleVector c00 = DoubleVector.zero(S);
    DoubleVector c01 = c00;
    DoubleVector c02 = c00;
    DoubleVector c03 = c00;
    DoubleVector c10 = c00;
    DoubleVector c11 = c00;
    DoubleVector c12 = c00;
    DoubleVector c13 = c00;
    DoubleVector c20 = c00;
    DoubleVector c21 = c00;
    DoubleVector c22 = c00;
    DoubleVector c23 = c00;
    DoubleVector c30 = c00;
    DoubleVector c31 = c00;
    DoubleVector c32 = c00;
    DoubleVector c33 = c00;
    for (int p = 0; p < kc; p++) {
      int pb = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, bp, pb);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, pb + L);
      DoubleVector b2 = DoubleVector.fromArray(S, bp, pb + 2 * L);
      DoubleVector b3 = DoubleVector.fromArray(S, bp, pb + 3 * L);
      int pa = p * aps;
      DoubleVector av = DoubleVector.broadcast(S, a[a0 + pa]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      c02 = av.fma(b2, c02);
      c03 = av.fma(b3, c03);
      av = DoubleVector.broadcast(S, a[a1 + pa]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      c12 = av.fma(b2, c12);
      c13 = av.fma(b3, c13);
      av = DoubleVector.broadcast(S, a[a2 + pa]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      c22 = av.fma(b2, c22);
      c23 = av.fma(b3, c23);
      av = DoubleVector.broadcast(S, a[a3 + pa]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      c32 = av.fma(b2, c32);
      c33 = av.fma(b3, c33);
    }
    if (rows == MR && cols == NR) { // the vectors are stored here, not passed to a helper:
      // a method taking DoubleVector arguments that C2 does not inline boxes them (4x slower)
      int r0 = ci;
      c00.add(DoubleVector.fromArray(S, c, r0)).intoArray(c, r0);
      c01.add(DoubleVector.fromArray(S, c, r0 + L)).intoArray(c, r0 + L);
      c02.add(DoubleVector.fromArray(S, c, r0 + 2 * L)).intoArray(c, r0 + 2 * L);
      c03.add(DoubleVector.fromArray(S, c, r0 + 3 * L)).intoArray(c, r0 + 3 * L);
      int r1 = ci + ldc;
      c10.add(DoubleVector.fromArray(S, c, r1)).intoArray(c, r1);
      c11.add(DoubleVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
      c12.add(DoubleVector.fromArray(S, c, r1 + 2 * L)).intoArray(c, r1 + 2 * L);
      c13.add(DoubleVector.fromArray(S, c, r1 + 3 * L)).intoArray(c, r1 + 3 * L);
      int r2 = ci + 2 * ldc;
      c20.add(DoubleVector.fromArray(S, c, r2)).intoArray(c, r2);
      c21.add(DoubleVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
      c22.add(DoubleVector.fromArray(S, c, r2 + 2 * L)).intoArray(c, r2 + 2 * L);
      c23.add(DoubleVector.fromArray(S, c, r2 + 3 * L)).intoArray(c, r2 + 3 * L);
      int r3 = ci + 3 * ldc;
      c30.add(DoubleVector.fromArray(S, c, r3)).intoArray(c, r3);
      c31.add(DoubleVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
      c32.add(DoubleVector.fromArray(S, c, r3 + 2 * L)).intoArray(c, r3 + 2 * L);
      c33.add(DoubleVector.fromArray(S, c, r3 + 3 * L)).intoArray(c, r3 + 3 * L);
    } else { // an edge tile: spill the accumulators, add the valid part element by element
      c00.intoArray(edge, 0);
      c01.intoArray(edge, L);
      c02.intoArray(edge, 2 * L);
      c03.intoArray(edge, 3 * L);
      c10.intoArray(edge, NR);
      c11.intoArray(edge, NR + L);
      c12.intoArray(edge, NR + 2 * L);
      c13.intoArray(edge, NR + 3 * L);
      c20.intoArray(edge, 2 * NR);
      c21.intoArray(edge, 2 * NR + L);
      c22.intoArray(edge, 2 * NR + 2 * L);
      c23.intoArray(edge, 2 * NR + 3 * L);
      c30.intoArray(edge, 3 * NR);
      c31.intoArray(edge, 3 * NR + L);
      c32.intoArray(edge, 3 * NR + 2 * L);
      c33.intoArray(edge, 3 * NR + 3 * L);
      addEdge(edge, c, ci, ldc, rows, cols);
    }
  }

  /** C[r, j] += sum_p A[r, p] Bp[p, j] for one vector of columns (cols <= L): the narrow edge. */
  static void tileNarrow(int kc, double[] a, int a0, int a1, int a2, int a3, int aps,
      double[] bp, int bi, double[] c, int ci, int ldc, int rows, int cols, double[] edge) {
    DoubleVector c0 = DoubleVector.zero(S);
    DoubleVector c1 = c0;
    DoubleVector c2 = c0;
    DoubleVector c3 = c0;
    for (int p = 0; p < kc; p++) {
      DoubleVector b0 = DoubleVector.fromArray(S, bp, bi + p * NR);
      int pa = p * aps;
      c0 = DoubleVector.broadcast(S, a[a0 + pa]).fma(b0, c0);
      c1 = DoubleVector.broadcast(S, a[a1 + pa]).fma(b0, c1);
      c2 = DoubleVector.broadcast(S, a[a2 + pa]).fma(b0, c2);
      c3 = DoubleVector.broadcast(S, a[a3 + pa]).fma(b0, c3);
    }
    c0.intoArray(edge, 0);
    c1.intoArray(edge, NR);
    c2.intoArray(edge, 2 * NR);
    c3.intoArray(edge, 3 * NR);
    addEdge(edge, c, ci, ldc, rows, cols);
  }

  /**
   * As {@link #tile} for two vectors of columns (cols <= 2 L): the right edge, or one half of a
   * full tile when {@link #SPLIT} (Bp's rows are still NR apart).
   */
  static void tileHalf(int kc, double[] a, int a0, int a1, int a2, int a3, int aps,
      double[] bp, int bi, double[] c, int ci, int ldc, int rows, int cols, double[] edge) {
    DoubleVector c00 = DoubleVector.zero(S);
    DoubleVector c01 = c00;
    DoubleVector c10 = c00;
    DoubleVector c11 = c00;
    DoubleVector c20 = c00;
    DoubleVector c21 = c00;
    DoubleVector c30 = c00;
    DoubleVector c31 = c00;
    for (int p = 0; p < kc; p++) {
      int pb = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, bp, pb);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, pb + L);
      int pa = p * aps;
      DoubleVector av = DoubleVector.broadcast(S, a[a0 + pa]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = DoubleVector.broadcast(S, a[a1 + pa]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = DoubleVector.broadcast(S, a[a2 + pa]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = DoubleVector.broadcast(S, a[a3 + pa]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
    }
    if (rows == MR && cols == 2 * L) {
      c00.add(DoubleVector.fromArray(S, c, ci)).intoArray(c, ci);
      c01.add(DoubleVector.fromArray(S, c, ci + L)).intoArray(c, ci + L);
      int r1 = ci + ldc;
      c10.add(DoubleVector.fromArray(S, c, r1)).intoArray(c, r1);
      c11.add(DoubleVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
      int r2 = ci + 2 * ldc;
      c20.add(DoubleVector.fromArray(S, c, r2)).intoArray(c, r2);
      c21.add(DoubleVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
      int r3 = ci + 3 * ldc;
      c30.add(DoubleVector.fromArray(S, c, r3)).intoArray(c, r3);
      c31.add(DoubleVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
      return;
    }
    c00.intoArray(edge, 0);
    c01.intoArray(edge, L);
    c10.intoArray(edge, NR);
    c11.intoArray(edge, NR + L);
    c20.intoArray(edge, 2 * NR);
    c21.intoArray(edge, 2 * NR + L);
    c30.intoArray(edge, 3 * NR);
    c31.intoArray(edge, 3 * NR + L);
    addEdge(edge, c, ci, ldc, rows, cols);
  }

  /**
   * As {@link #tileHalf} for {@value #TALL} full rows and 2 L columns (rows r at a0 + r ars):
   * the interior tiles of the split path. Each element's sum is the same as in the other tiles.
   */
  static void tileTall(int kc, double[] a, int a0, int ars, int aps, double[] bp, int bi,
      double[] c, int ci, int ldc) {
    DoubleVector c00 = DoubleVector.zero(S);
    DoubleVector c01 = c00;
    DoubleVector c10 = c00;
    DoubleVector c11 = c00;
    DoubleVector c20 = c00;
    DoubleVector c21 = c00;
    DoubleVector c30 = c00;
    DoubleVector c31 = c00;
    DoubleVector c40 = c00;
    DoubleVector c41 = c00;
    DoubleVector c50 = c00;
    DoubleVector c51 = c00;
    int a1 = a0 + ars;
    int a2 = a1 + ars;
    int a3 = a2 + ars;
    int a4 = a3 + ars;
    int a5 = a4 + ars;
    for (int p = 0; p < kc; p++) {
      int pb = bi + p * NR;
      DoubleVector b0 = DoubleVector.fromArray(S, bp, pb);
      DoubleVector b1 = DoubleVector.fromArray(S, bp, pb + L);
      int pa = p * aps;
      DoubleVector av = DoubleVector.broadcast(S, a[a0 + pa]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = DoubleVector.broadcast(S, a[a1 + pa]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = DoubleVector.broadcast(S, a[a2 + pa]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = DoubleVector.broadcast(S, a[a3 + pa]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = DoubleVector.broadcast(S, a[a4 + pa]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = DoubleVector.broadcast(S, a[a5 + pa]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    c00.add(DoubleVector.fromArray(S, c, ci)).intoArray(c, ci);
    c01.add(DoubleVector.fromArray(S, c, ci + L)).intoArray(c, ci + L);
    int r1 = ci + ldc;
    c10.add(DoubleVector.fromArray(S, c, r1)).intoArray(c, r1);
    c11.add(DoubleVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
    int r2 = r1 + ldc;
    c20.add(DoubleVector.fromArray(S, c, r2)).intoArray(c, r2);
    c21.add(DoubleVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
    int r3 = r2 + ldc;
    c30.add(DoubleVector.fromArray(S, c, r3)).intoArray(c, r3);
    c31.add(DoubleVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
    int r4 = r3 + ldc;
    c40.add(DoubleVector.fromArray(S, c, r4)).intoArray(c, r4);
    c41.add(DoubleVector.fromArray(S, c, r4 + L)).intoArray(c, r4 + L);
    int r5 = r4 + ldc;
    c50.add(DoubleVector.fromArray(S, c, r5)).intoArray(c, r5);
    c51.add(DoubleVector.fromArray(S, c, r5 + L)).intoArray(c, r5 + L);
  }

  /** C[r, j] += edge[r * NR + j] for r < rows, j < cols. */
  private static void addEdge(double[] edge, double[] c, int ci, int ldc, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      for (int j = 0, cr = ci + r * ldc, er = r * NR; j < cols; j++) {
        c[cr + j] += edge[er + j];
      }
    }
  }
}
