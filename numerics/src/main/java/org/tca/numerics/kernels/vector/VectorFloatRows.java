package org.tca.numerics.kernels.vector;

import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.scalar.ScalarFloatKernels;

/** TEMPORARY: delegates to the scalar kernels until the Vector API version lands. */
final class VectorFloatRows {

  private static final ScalarFloatKernels S = new ScalarFloatKernels();

  private VectorFloatRows() {}

  static void softmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    S.softmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
  }

  static void logSoftmaxRows(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    S.logSoftmaxRows(m, n, x, xOff, ldx, y, yOff, ldy);
  }

  static float softmaxCrossEntropy(int m, int n, float[] x, int xOff, int ldx, int[] labels, int labelsOff, float[] grad, int gradOff, int ldg) {
    return S.softmaxCrossEntropy(m, n, x, xOff, ldx, labels, labelsOff, grad, gradOff, ldg);
  }

}
