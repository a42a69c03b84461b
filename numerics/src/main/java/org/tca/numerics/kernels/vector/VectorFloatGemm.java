package org.tca.numerics.kernels.vector;

import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.scalar.ScalarFloatKernels;

/** TEMPORARY: delegates to the scalar kernels until the Vector API version lands. */
final class VectorFloatGemm {

  private static final ScalarFloatKernels S = new ScalarFloatKernels();

  private VectorFloatGemm() {}

  static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
    S.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
  }

}
