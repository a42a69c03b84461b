package org.tca.numerics.kernels.vector;

import static org.tca.numerics.kernels.vector.VectorDoubleGemmKernel.L;
import static org.tca.numerics.kernels.vector.VectorDoubleGemmKernel.MR;
import static org.tca.numerics.kernels.vector.VectorDoubleGemmKernel.NR;
import static org.tca.numerics.kernels.vector.VectorDoubleGemmKernel.TALL;

import java.util.Arrays;

/**
 * Vector API GEMM, C += alpha * op(A) * op(B) (row-major, see {@code DoubleKernels#gemm}), in the
 * BLIS style: for each block of NC columns and KC steps of the inner dimension, alpha * op(B) is
 * packed into NR-column slivers ({@link VectorDoubleGemmPack}, per-thread scratch reused across
 * calls), and every MR x NR tile of C is computed in registers by {@link VectorDoubleGemmKernel}
 * (with AVX2, whole groups of {@code TALL} rows of A read in place as TALL x NR/2 tiles).
 * op(A) is read in place when its rows are contiguous (no transpose) or when few slivers reuse
 * it; a transposed A with many columns to serve is packed into MR-row slivers first. Rows are
 * walked in MC blocks so that the block of A stays in L2 while the slivers pass over it.
 *
 * <p>Thin products do not pay for packing: fewer than MR rows become one gemv per row
 * (C[i,:] += alpha * op(B)' op(A)[i,:]) and at most {@link #THIN_N} columns one gemv per column
 * (C[:,j] += alpha * op(A) op(B)[:,j]), through {@link VectorDoubleLevel2}.
 *
 * <p>Rounding: every element is c + sum of k products, each product rounded at most twice
 * (alpha folded into the packed B, then the FMA), summed in some order with k additions, so
 * |fl(c') - c'| <= gamma_(k+2) * (|alpha| |op(A)| |op(B)| + |C|) elementwise. As in BLAS,
 * alpha = 0 or an empty product returns without reading A, B or C.
 */
final class VectorDoubleGemm {

  /** Steps of the inner dimension per packed block (a KC x NR sliver, 64 KiB, is read from L2). */
  static final int KC = 256;
  /** Rows of C per block: an MC x KC block of A stays in L2 while the slivers pass over it. */
  static final int MC = 192;
  /** Columns per packed block: the KC x NC packed B stays in L2. */
  static final int NC = 8 * NR;
  /**
   * A transposed A (read with stride lda in p) is packed into MR-row slivers when at least this
   * many columns reuse it; below, reading it in place is faster (measured on Zen 4: packing the
   * 128 x 7168 A' of a weight gradient costs more than it saves over two slivers).
   */
  static final int PACK_A_MIN_N = 384;
  /** At most this many columns take the gemv-per-column path. */
  static final int THIN_N = L / 2;

  private VectorDoubleGemm() {}

  static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
    if (m <= 0 || n <= 0 || k <= 0 || alpha == 0d) {
      return;
    }
    if (m < MR) {
      thinRows(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    } else if (n <= THIN_N) {
      thinCols(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    } else {
      blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, null, 0, c, cOff, ldc);
    }
  }

  /**
   * As {@link #gemm}, with alpha * op(B) also given packed by {@link #pack} (same transB, k, n,
   * alpha, B) at {@code pre[preOff]}: the blocked path reads those slivers instead of packing
   * them, so the result is bit for bit that of {@link #gemm}; the thin paths read B itself.
   */
  static void gemmPacked(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] pre, int preOff,
      double[] c, int cOff, int ldc) {
    if (m <= 0 || n <= 0 || k <= 0 || alpha == 0d) {
      return;
    }
    if (m < MR) {
      thinRows(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    } else if (n <= THIN_N) {
      thinCols(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
    } else {
      blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, pre, preOff,
          c, cOff, ldc);
    }
  }

  /** Elements of the packed form of a k x n op(B): k rows of n rounded up to whole slivers. */
  static int packedSize(int k, int n) {
    return Math.max(k, 0) * ((Math.max(n, 0) + NR - 1) / NR) * NR;
  }

  /**
   * Packs alpha * op(B) (k x n) into {@code pre[preOff..]} exactly as {@link #gemm} packs it
   * block by block: the (jc, pc) block of nc columns and kc steps at preOff + jc k + pc nc',
   * nc' = nc rounded up to whole slivers (jc, pc as in the blocked loop).
   */
  static void pack(boolean transB, int k, int n, double alpha, double[] b, int bOff, int ldb,
      double[] pre, int preOff) {
    if (k <= 0 || n <= 0) {
      return;
    }
    int kBlocks = (k + KC - 1) / KC;
    int kcMax = (k + kBlocks - 1) / kBlocks;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      int ncr = (nc + NR - 1) / NR * NR;
      for (int pc = 0; pc < k; pc += kcMax) {
        int kc = Math.min(kcMax, k - pc);
        int bi = transB ? bOff + jc * ldb + pc : bOff + pc * ldb + jc;
        VectorDoubleGemmPack.packB(transB, kc, nc, alpha, b, bi, ldb, pre,
            preOff + jc * k + pc * ncr);
      }
    }
  }

  private static void blocked(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] pre, int preOff,
      double[] c, int cOff, int ldc) {
    int kBlocks = (k + KC - 1) / KC;
    int kcMax = (k + kBlocks - 1) / kBlocks; // balanced: no sliver of a few steps at the end
    double[] bp = pre != null ? pre : VectorDoubleGemmPack.scratch(VectorDoubleGemmPack.PACKED_B,
        VectorDoubleGemmPack.packedSize(kcMax, Math.min(NC, n)));
    double[] edge = VectorDoubleGemmPack.scratch(VectorDoubleGemmPack.EDGE, MR * NR);
    boolean packA = transA && n >= PACK_A_MIN_N;
    boolean tall = VectorDoubleGemmKernel.SPLIT && !packA;
    double[] ap = packA ? VectorDoubleGemmPack.scratch(VectorDoubleGemmPack.PACKED_A,
        Math.min(MC, m + MR) * kcMax) : null;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += kcMax) {
        int kc = Math.min(kcMax, k - pc);
        int bBase = 0;
        if (pre == null) {
          int bi = transB ? bOff + jc * ldb + pc : bOff + pc * ldb + jc;
          VectorDoubleGemmPack.packB(transB, kc, nc, alpha, b, bi, ldb, bp, 0);
        } else { // prepacked by pack(): the same slivers, already in place
          bBase = preOff + jc * k + pc * ((nc + NR - 1) / NR * NR);
        }
        for (int ic = 0; ic < m; ic += MC) {
          int iEnd = Math.min(ic + MC, m);
          // the A operand of the tiles: op(A)[i, pc + p] = aa[aBase + (i - ic) * ars + p * aps],
          // except packed, where tile t = (i - ic) / MR starts at t * kc * MR (below)
          double[] aa;
          int aBase;
          int ars;
          int aps;
          if (packA) { // A' is read across rows of A: pack the block into MR-row slivers
            VectorDoubleGemmPack.packTransposedA(kc, iEnd - ic, a, aOff + pc * lda + ic, lda, ap);
            aa = ap;
            aBase = 0;
            ars = 1;
            aps = MR;
          } else if (transA) { // A' in place: MR consecutive elements per step p
            aa = a;
            aBase = aOff + pc * lda + ic;
            ars = 1;
            aps = lda;
          } else { // rows of A are contiguous in p: read in place
            aa = a;
            aBase = aOff + ic * lda + pc;
            ars = lda;
            aps = 1;
          }
          for (int js = 0; js < nc; js += NR) {
            int cols = Math.min(NR, nc - js);
            int bis = bBase + (js / NR) * kc * NR;
            int cj = cOff + jc + js;
            int ir = ic;
            if (tall && cols == NR) { // AVX2: whole groups of TALL rows, two halves each
              for (; ir + TALL <= iEnd; ir += TALL) {
                int a0 = aBase + (ir - ic) * ars;
                int ci = cj + ir * ldc;
                VectorDoubleGemmKernel.tileTall(kc, aa, a0, ars, aps, bp, bis, c, ci, ldc);
                VectorDoubleGemmKernel.tileTall(kc, aa, a0, ars, aps, bp, bis + 2 * L, c,
                    ci + 2 * L, ldc);
              }
            }
            for (; ir < iEnd; ir += MR) {
              int rows = Math.min(MR, iEnd - ir);
              // missing rows of an edge tile repeat a real one in place (packed: zero rows)
              int a0 = packA ? (ir - ic) * kc : aBase + (ir - ic) * ars;
              int a1 = rows > 1 || packA ? a0 + ars : a0;
              int a2 = rows > 2 || packA ? a1 + ars : a1;
              int a3 = rows > 3 || packA ? a2 + ars : a2;
              int ci = cj + ir * ldc;
              if (cols <= L) {
                VectorDoubleGemmKernel.tileNarrow(kc, aa, a0, a1, a2, a3, aps, bp, bis, c, ci, ldc,
                    rows, cols, edge);
              } else if (cols <= 2 * L) {
                VectorDoubleGemmKernel.tileHalf(kc, aa, a0, a1, a2, a3, aps, bp, bis, c, ci, ldc,
                    rows, cols, edge);
              } else if (VectorDoubleGemmKernel.SPLIT) {
                VectorDoubleGemmKernel.tileHalf(kc, aa, a0, a1, a2, a3, aps, bp, bis, c, ci, ldc,
                    rows, 2 * L, edge);
                VectorDoubleGemmKernel.tileHalf(kc, aa, a0, a1, a2, a3, aps, bp, bis + 2 * L, c,
                    ci + 2 * L, ldc, rows, cols - 2 * L, edge);
              } else {
                VectorDoubleGemmKernel.tile(kc, aa, a0, a1, a2, a3, aps, bp, bis, c, ci, ldc,
                    rows, cols, edge);
              }
            }
          }
        }
      }
    }
  }

  /** m < MR: C[i,:] += alpha * op(B)' x with x = op(A)[i,:], one gemv (or gemvT) per row. */
  private static void thinRows(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
    double[] x = transA ? VectorDoubleGemmPack.scratch(VectorDoubleGemmPack.VECTOR, k) : a;
    for (int i = 0; i < m; i++) {
      int xo;
      if (transA) {
        for (int p = 0; p < k; p++) {
          x[p] = a[aOff + p * lda + i];
        }
        xo = 0;
      } else {
        xo = aOff + i * lda;
      }
      if (transB) { // op(B)' = B, n x k
        VectorDoubleLevel2.gemv(n, k, alpha, b, bOff, ldb, x, xo, c, cOff + i * ldc);
      } else { // op(B)' = B', B k x n
        VectorDoubleLevel2.gemvT(k, n, alpha, b, bOff, ldb, x, xo, c, cOff + i * ldc);
      }
    }
  }

  /** n <= THIN_N: t = op(A) op(B)[:,j], C[:,j] += alpha * t, one gemv (or gemvT) per column. */
  private static void thinCols(boolean transA, boolean transB, int m, int n, int k, double alpha,
      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double[] c, int cOff, int ldc) {
    double[] x = transB ? b : VectorDoubleGemmPack.scratch(VectorDoubleGemmPack.VECTOR, k);
    double[] t = VectorDoubleGemmPack.scratch(VectorDoubleGemmPack.COLUMN, m);
    for (int j = 0; j < n; j++) {
      int xo;
      if (transB) {
        xo = bOff + j * ldb;
      } else {
        for (int p = 0; p < k; p++) {
          x[p] = b[bOff + p * ldb + j];
        }
        xo = 0;
      }
      Arrays.fill(t, 0, m, 0d);
      if (transA) { // op(A) = A', A k x m
        VectorDoubleLevel2.gemvT(k, m, 1d, a, aOff, lda, x, xo, t, 0);
      } else {
        VectorDoubleLevel2.gemv(m, k, 1d, a, aOff, lda, x, xo, t, 0);
      }
      for (int i = 0, ci = cOff + j; i < m; i++, ci += ldc) {
        c[ci] += alpha * t[i];
      }
    }
  }
}
