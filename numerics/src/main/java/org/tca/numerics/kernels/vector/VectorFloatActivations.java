package org.tca.numerics.kernels.vector;

import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.scalar.ScalarFloatKernels;

/** TEMPORARY: delegates to the scalar kernels until the Vector API version lands. */
final class VectorFloatActivations {

  private static final ScalarFloatKernels S = new ScalarFloatKernels();

  private VectorFloatActivations() {}

  static void activation(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    S.activation(f, n, x, xOff, y, yOff);
  }

  static void activationDerivative(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    S.activationDerivative(f, n, x, xOff, y, yOff);
  }

  static void mulActivationDerivative(Activation f, int n, float[] x, int xOff, float[] g, int gOff, float[] y, int yOff) {
    S.mulActivationDerivative(f, n, x, xOff, g, gOff, y, yOff);
  }

}
