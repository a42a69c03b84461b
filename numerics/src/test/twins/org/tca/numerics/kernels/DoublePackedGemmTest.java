package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DoubleKernels#gemmPacked} with B packed once by {@link DoubleKernels#packB} gives bit for
 * bit the result of {@link DoubleKernels#gemm} (which {@code DoubleBlasKernelsTest} checks against a
 * double-accumulated oracle), for both providers, all four transpose cases, alpha != 1, offsets,
 * padded leading dimensions, and shapes on every path of the blocked GEMM: thin rows (m &lt; MR),
 * thin columns, narrow and half edge slivers, several k blocks (k &gt; KC = 256) and several
 * column blocks (n &gt; NC); one packed B serves several A. A stale pack (B changed after packing)
 * must change the vector result, so the test sees whether the packed slivers are read at all.
 */
class DoublePackedGemmTest {

  /** m, n, k. */
  private static final int[][] SHAPES = {
      {1, 70, 33}, {3, 5, 9}, {37, 5, 300}, {17, 13, 40}, {9, 29, 31}, {40, 128, 128},
      {256, 128, 28}, {13, 200, 600}, {8, 530, 20}, {70, 64, 513}, {5, 1100, 7}};

  static Stream<String> providers() {
    return Stream.of("scalar", "vector");
  }

  private static DoubleKernels kernels(String name) {
    return name.equals("scalar") ? Kernels.scalarF64() : Kernels.vectorF64();
  }

  private static double[] random(Random r, int size) {
    double[] x = new double[size];
    for (int i = 0; i < size; i++) {
      x[i] = (double) (r.nextDouble() * 2 - 1);
    }
    return x;
  }

  @ParameterizedTest
  @MethodSource("providers")
  void packedEqualsGemmBitForBit(String name) {
    DoubleKernels kern = kernels(name);
    Random r = new Random(5);
    for (int[] s : SHAPES) {
      int m = s[0];
      int n = s[1];
      int k = s[2];
      for (int tc = 0; tc < 4; tc++) {
        boolean ta = (tc & 1) != 0;
        boolean tb = (tc & 2) != 0;
        double alpha = tc == 1 ? 1d : -0.75d;
        int lda = (ta ? m : k) + 3;
        int ldb = (tb ? k : n) + 2;
        int ldc = n + 1;
        int aOff = 5;
        int bOff = 7;
        int cOff = 2;
        double[] b = random(r, bOff + (tb ? n : k) * ldb);
        int bpOff = 11;
        double[] bp = new double[bpOff + kern.packedSize(k, n) + 4];
        Arrays.fill(bp, Double.NaN); // any element read but not written poisons C
        kern.packB(tb, k, n, alpha, b, bOff, ldb, bp, bpOff);
        for (int use = 0; use < 2; use++) { // one pack, two products
          double[] a = random(r, aOff + (ta ? k : m) * lda);
          double[] c0 = random(r, cOff + m * ldc);
          double[] c1 = c0.clone();
          kern.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c0, cOff, ldc);
          kern.gemmPacked(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, bp, bpOff,
              c1, cOff, ldc);
          assertArrayEquals(c0, c1, String.format("%s m=%d n=%d k=%d ta=%b tb=%b", name, m, n, k,
              ta, tb));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void stalePackIsRead(String name) {
    DoubleKernels kern = kernels(name);
    int m = 40;
    int n = 128;
    int k = 128;
    Random r = new Random(9);
    double[] a = random(r, m * k);
    double[] b = random(r, k * n);
    double[] bp = new double[kern.packedSize(k, n)];
    kern.packB(false, k, n, 1d, b, 0, n, bp, 0);
    double[] c0 = new double[m * n];
    double[] c1 = new double[m * n];
    kern.gemm(false, false, m, n, k, 1d, a, 0, k, b, 0, n, c0, 0, n);
    b[0] += 1d; // after packing: the packed path still multiplies by the old B
    kern.gemmPacked(false, false, m, n, k, 1d, a, 0, k, b, 0, n, bp, 0, c1, 0, n);
    if (kern.packedSize(k, n) == 0) { // the reference keeps no packed form: reads B itself
      assertFalse(Arrays.equals(c0, c1));
    } else {
      assertTrue(kern.packedSize(k, n) >= k * n);
      assertArrayEquals(c0, c1);
    }
  }
}
