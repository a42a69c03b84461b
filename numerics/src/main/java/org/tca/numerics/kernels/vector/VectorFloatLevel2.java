package org.tca.numerics.kernels.vector;

import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.scalar.ScalarFloatKernels;

/** TEMPORARY: delegates to the scalar kernels until the Vector API version lands. */
final class VectorFloatLevel2 {

  private static final ScalarFloatKernels S = new ScalarFloatKernels();

  private VectorFloatLevel2() {}

  static void gemv(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
    S.gemv(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
  }

  static void gemvT(int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff, float[] y, int yOff) {
    S.gemvT(m, n, alpha, a, aOff, lda, x, xOff, y, yOff);
  }

  static void decayedRank1(int m, int n, float decay, float alpha, float[] x, int xOff, float[] y, int yOff, float[] e, int eOff, int lde) {
    S.decayedRank1(m, n, decay, alpha, x, xOff, y, yOff, e, eOff, lde);
  }

}
