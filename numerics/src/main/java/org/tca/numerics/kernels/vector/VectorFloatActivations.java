package org.tca.numerics.kernels.vector;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.tca.numerics.kernels.Activation;

/**
 * Vector API elementwise activations y = f(x), derivatives y = f'(x) and the backward step
 * y = g * f'(x), for every {@link Activation}.
 *
 * <ul>
 *   <li>identity and relu run on whole vectors of {@code SPECIES_PREFERRED} (then a scalar tail):
 *       relu(x) = x if x &gt; 0 or x is NaN, else +0; relu'(x) = 1 if x &gt; 0 else 0 (0 at
 *       x = 0 and for NaN, exactly as {@link Activation#apply}). The backward step multiplies g
 *       by 1 or 0, so y = g * f'(x) holds bit for bit (signed zeros and NaN g included).</li>
 *   <li>tanh, softplus and sigmoid evaluate the reference {@link Activation} (StrictMath, double)
 *       per element, rounded once. The Vector API's EXP/TANH/LOG1P operators are faster but
 *       round differently in interpreted and C2-compiled code, so a run's bits would depend on
 *       when the JIT compiled the kernel; determinism for a seed comes first. (A vector
 *       polynomial made of exact lanewise operations is the way to speed these up.)</li>
 * </ul>
 * y may alias x (and g), element for element.
 */
final class VectorFloatActivations {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorFloatActivations() {}

  static void activation(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    switch (f) {
      case IDENTITY -> copy(n, x, xOff, y, yOff);
      case RELU -> relu(n, x, xOff, y, yOff);
      default -> {
        for (int i = 0; i < n; i++) {
          y[yOff + i] = (float) f.apply(x[xOff + i]);
        }
      }
    }
  }

  static void activationDerivative(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    switch (f) {
      case IDENTITY -> Arrays.fill(y, yOff, yOff + n, 1f);
      case RELU -> reluDerivative(n, x, xOff, y, yOff);
      default -> {
        for (int i = 0; i < n; i++) {
          y[yOff + i] = (float) f.derivative(x[xOff + i]);
        }
      }
    }
  }

  static void mulActivationDerivative(Activation f, int n, float[] x, int xOff,
      float[] g, int gOff, float[] y, int yOff) {
    switch (f) {
      case IDENTITY -> copy(n, g, gOff, y, yOff);
      case RELU -> mulReluDerivative(n, x, xOff, g, gOff, y, yOff);
      default -> {
        for (int i = 0; i < n; i++) {
          y[yOff + i] = g[gOff + i] * (float) f.derivative(x[xOff + i]);
        }
      }
    }
  }

  /** y = x (nothing to do in place). */
  private static void copy(int n, float[] x, int xOff, float[] y, int yOff) {
    if (x != y || xOff != yOff) {
      System.arraycopy(x, xOff, y, yOff, n);
    }
  }

  /** 1 where x &gt; 0, else 0 (NaN included). */
  private static FloatVector reluDerivativeV(FloatVector v) {
    return FloatVector.zero(S).blend(1f, v.compare(VectorOperators.GT, 0f));
  }

  private static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    FloatVector zero = FloatVector.zero(S);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      VectorMask<Float> keep = v.compare(VectorOperators.GT, 0f).or(v.test(VectorOperators.IS_NAN));
      zero.blend(v, keep).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = (float) Activation.RELU.apply(x[xOff + i]);
    }
  }

  private static void reluDerivative(int n, float[] x, int xOff, float[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      reluDerivativeV(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = (float) Activation.RELU.derivative(x[xOff + i]);
    }
  }

  private static void mulReluDerivative(int n, float[] x, int xOff, float[] g, int gOff,
      float[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector d = reluDerivativeV(FloatVector.fromArray(S, x, xOff + i));
      FloatVector.fromArray(S, g, gOff + i).mul(d).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = g[gOff + i] * (float) Activation.RELU.derivative(x[xOff + i]);
    }
  }
}
