package org.tca.numerics.kernels.vector;

import static org.tca.numerics.kernels.vector.VectorDoubleGemmKernel.L;
import static org.tca.numerics.kernels.vector.VectorDoubleGemmKernel.MR;
import static org.tca.numerics.kernels.vector.VectorDoubleGemmKernel.NR;
import static org.tca.numerics.kernels.vector.VectorDoubleGemmKernel.S;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing of a kc x nc block of alpha * op(B) into NR-column slivers for
 * {@link VectorDoubleGemmKernel}: sliver s holds columns [s NR, s NR + NR) as kc rows of NR
 * contiguous elements, Bp[s][p][j] = alpha * op(B)[p, s NR + j], zero beyond column nc; of a
 * transposed A into MR-row slivers, Ap[t][p][r] = op(A)[t MR + r, p]. Also the per-thread scratch
 * arrays (grown on demand, then reused: no allocation in the steady state).
 */
final class VectorDoubleGemmPack {

  /** Scratch slot of the packed B block. */
  static final int PACKED_B = 0;
  /** Scratch slot of a gathered vector (a row of A' or a column of B) on the thin paths. */
  static final int VECTOR = 1;
  /** Scratch slot of the gemv result of a column on the thin-column path. */
  static final int COLUMN = 2;
  /** Scratch slot of the spilled accumulators of an edge tile (MR x NR). */
  static final int EDGE = 3;
  /** Scratch slot of the packed block of a transposed A. */
  static final int PACKED_A = 4;

  private static final ThreadLocal<double[][]> SCRATCH =
      ThreadLocal.withInitial(() -> new double[PACKED_A + 1][]);

  /** MR lanes: one step p of an A sliver (MR times the element size in bits). */
  private static final VectorSpecies<Double> SMR =
      VectorSpecies.of(double.class, VectorShape.forBitSize(MR * Double.SIZE));

  private VectorDoubleGemmPack() {}

  /** This thread's scratch array for {@code slot}, of at least {@code size} elements. */
  static double[] scratch(int slot, int size) {
    double[][] s = SCRATCH.get();
    double[] x = s[slot];
    if (x == null || x.length < size) {
      x = new double[Math.max(size, x == null ? 0 : x.length + (x.length >> 1))];
      s[slot] = x;
    }
    return x;
  }

  /** Elements of the packed form of a kc x nc block. */
  static int packedSize(int kc, int nc) {
    return kc * ((nc + NR - 1) / NR) * NR;
  }

  /**
   * Packs alpha * op(B)[0:kc, 0:nc] into bp from {@code bpOff}, where op(B)[p, j] =
   * b[bi + p * ldb + j], or b[bi + j * ldb + p] when {@code transB}.
   */
  static void packB(boolean transB, int kc, int nc, double alpha,
      double[] b, int bi, int ldb, double[] bp, int bpOff) {
    for (int js = 0, dst = bpOff; js < nc; js += NR, dst += kc * NR) {
      int nr = Math.min(NR, nc - js);
      if (transB) {
        packTransposed(kc, nr, alpha, b, bi + js * ldb, ldb, bp, dst);
      } else {
        packRows(kc, nr, alpha, b, bi + js, ldb, bp, dst);
      }
    }
  }

  /** One sliver from row-major rows: Bp[p][j] = alpha * b[src + p * ldb + j]. */
  private static void packRows(int kc, int nr, double alpha, double[] b, int src, int ldb,
      double[] bp, int dst) {
    if (nr == NR) {
      DoubleVector va = DoubleVector.broadcast(S, alpha);
      for (int p = 0; p < kc; p++) {
        int s = src + p * ldb;
        int d = dst + p * NR;
        DoubleVector.fromArray(S, b, s).mul(va).intoArray(bp, d);
        DoubleVector.fromArray(S, b, s + L).mul(va).intoArray(bp, d + L);
        DoubleVector.fromArray(S, b, s + 2 * L).mul(va).intoArray(bp, d + 2 * L);
        DoubleVector.fromArray(S, b, s + 3 * L).mul(va).intoArray(bp, d + 3 * L);
      }
      return;
    }
    DoubleVector va = DoubleVector.broadcast(S, alpha);
    int bound = S.loopBound(nr);
    for (int p = 0; p < kc; p++) {
      int s = src + p * ldb;
      int d = dst + p * NR;
      int j = 0;
      for (; j < bound; j += L) {
        DoubleVector.fromArray(S, b, s + j).mul(va).intoArray(bp, d + j);
      }
      for (; j < nr; j++) {
        bp[d + j] = alpha * b[s + j];
      }
      for (; j < NR; j++) {
        bp[d + j] = 0d;
      }
    }
  }

  /** One sliver from a transposed B: Bp[p][j] = alpha * b[src + j * ldb + p]. */
  private static void packTransposed(int kc, int nr, double alpha, double[] b, int src, int ldb,
      double[] bp, int dst) {
    int j = 0;
    for (; j + 4 <= nr; j += 4) {
      int s0 = src + j * ldb;
      int s1 = s0 + ldb;
      int s2 = s1 + ldb;
      int s3 = s2 + ldb;
      for (int p = 0, d = dst + j; p < kc; p++, d += NR) {
        bp[d] = alpha * b[s0 + p];
        bp[d + 1] = alpha * b[s1 + p];
        bp[d + 2] = alpha * b[s2 + p];
        bp[d + 3] = alpha * b[s3 + p];
      }
    }
    for (; j < nr; j++) {
      int s0 = src + j * ldb;
      for (int p = 0, d = dst + j; p < kc; p++, d += NR) {
        bp[d] = alpha * b[s0 + p];
      }
    }
    if (nr < NR) {
      for (int p = 0, d = dst; p < kc; p++, d += NR) {
        for (int jj = nr; jj < NR; jj++) {
          bp[d + jj] = 0d;
        }
      }
    }
  }

  /**
   * Packs an mc x kc block of op(A) = A' (A stored kc x mc from {@code a[ai]}, leading dimension
   * lda) into MR-row slivers: Ap[t][p][r] = a[ai + p * lda + t MR + r], zero for rows past mc.
   * One MR-element vector per step p of a sliver.
   */
  static void packTransposedA(int kc, int mc, double[] a, int ai, int lda, double[] ap) {
    int full = mc - mc % MR;
    int d = 0;
    for (int t = 0; t < full; t += MR) { // writes are sequential (a p-outer loop 4K-aliases)
      for (int p = 0, s = ai + t; p < kc; p++, s += lda, d += MR) {
        DoubleVector.fromArray(SMR, a, s).intoArray(ap, d);
      }
    }
    if (full < mc) {
      for (int p = 0, s = ai + full; p < kc; p++, s += lda, d += MR) {
        for (int r = 0; r < MR; r++) {
          ap[d + r] = full + r < mc ? a[s + r] : 0d;
        }
      }
    }
  }
}
