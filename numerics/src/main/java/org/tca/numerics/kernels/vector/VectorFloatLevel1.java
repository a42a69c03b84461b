package org.tca.numerics.kernels.vector;

import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.scalar.ScalarFloatKernels;

/** TEMPORARY: delegates to the scalar kernels until the Vector API version lands. */
final class VectorFloatLevel1 {

  private static final ScalarFloatKernels S = new ScalarFloatKernels();

  private VectorFloatLevel1() {}

  static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    S.axpy(n, alpha, x, xOff, y, yOff);
  }

  static void axpby(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff) {
    S.axpby(n, alpha, x, xOff, beta, y, yOff);
  }

  static void scale(int n, float alpha, float[] x, int xOff) {
    S.scale(n, alpha, x, xOff);
  }

  static void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
    S.mul(n, x, xOff, y, yOff, z, zOff);
  }

  static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    return S.dot(n, x, xOff, y, yOff);
  }

  static float sum(int n, float[] x, int xOff) {
    return S.sum(n, x, xOff);
  }

  static float sumSquares(int n, float[] x, int xOff) {
    return S.sumSquares(n, x, xOff);
  }

  static float maxAbs(int n, float[] x, int xOff) {
    return S.maxAbs(n, x, xOff);
  }

}
