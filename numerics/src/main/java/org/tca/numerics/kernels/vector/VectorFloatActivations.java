package org.tca.numerics.kernels.vector;

import java.util.Arrays;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
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
 *   <li>tanh, softplus and sigmoid (and their derivatives) run {@link VectorFloatMath} on
 *       whole vectors (the last partial one through a scratch copy, no scalar tail), so every
 *       element goes through the same arithmetic wherever it sits in the array (the bits of
 *       y_i depend on x_i only, not on n or the offset). VectorFloatMath uses exactly
 *       specified IEEE operations only, so the results are the same interpreted and
 *       C2-compiled; they are within a few u of the reference {@link Activation} (StrictMath),
 *       not bit-equal to it (bounds in VectorFloatMath). The backward step is g * f'(x), one
 *       rounding after f'.</li>
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
      default -> smooth(forward(f), n, x, xOff, null, 0, y, yOff);
    }
  }

  static void activationDerivative(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    switch (f) {
      case IDENTITY -> Arrays.fill(y, yOff, yOff + n, 1f);
      case RELU -> reluDerivative(n, x, xOff, y, yOff);
      default -> smooth(derivative(f), n, x, xOff, null, 0, y, yOff);
    }
  }

  static void mulActivationDerivative(Activation f, int n, float[] x, int xOff,
      float[] g, int gOff, float[] y, int yOff) {
    switch (f) {
      case IDENTITY -> copy(n, g, gOff, y, yOff);
      case RELU -> mulReluDerivative(n, x, xOff, g, gOff, y, yOff);
      default -> smooth(derivative(f), n, x, xOff, g, gOff, y, yOff);
    }
  }

  // tanh, softplus and sigmoid: one vector at a time through VectorFloatMath, which takes and
  // gives arrays (no vector crosses a call, so nothing is boxed whatever C2 inlines). The last
  // partial vector goes through a per-thread scratch copy (no masks, no scalar tail), so each
  // y_i depends on x_i only, not on n or the offset.

  private static final int TANH = 0;
  private static final int TANH_DERIVATIVE = 1;
  private static final int SOFTPLUS = 2;
  private static final int SIGMOID = 3;
  private static final int SIGMOID_DERIVATIVE = 4;

  /** Scratch: x's partial last vector at [0, L), g's at [L, 2L), y's at [2L, 3L), h at 3L. */
  private static final ThreadLocal<float[]> TAIL = ThreadLocal.withInitial(() -> new float[4 * L]);

  private static int forward(Activation f) {
    return switch (f) {
      case TANH -> TANH;
      case SOFTPLUS -> SOFTPLUS;
      case SIGMOID -> SIGMOID;
      default -> throw new IllegalArgumentException(f.toString());
    };
  }

  private static int derivative(Activation f) {
    return switch (f) {
      case TANH -> TANH_DERIVATIVE;
      case SOFTPLUS -> SIGMOID;
      case SIGMOID -> SIGMOID_DERIVATIVE;
      default -> throw new IllegalArgumentException(f.toString());
    };
  }

  /**
   * y = h(x), or y = g * h(x) when g is not null, with h the function {@code fn}: per vector,
   * h(x) goes into y (g null) or into the scratch, then y = g * h (y may alias x or g).
   */
  private static void smooth(int fn, int n, float[] x, int xOff, float[] g, int gOff,
      float[] y, int yOff) {
    Objects.checkFromIndexSize(xOff, n, x.length); // before anything is written
    Objects.checkFromIndexSize(yOff, n, y.length);
    if (g != null) {
      Objects.checkFromIndexSize(gOff, n, g.length);
    }
    int bound = S.loopBound(n);
    float[] t = TAIL.get();
    if (bound < n) { // x (and g) of the partial last vector, zero padded (finite)
      System.arraycopy(x, xOff + bound, t, 0, n - bound);
      Arrays.fill(t, n - bound, L, 0f);
      if (g != null) {
        System.arraycopy(g, gOff + bound, t, L, n - bound);
        Arrays.fill(t, L + n - bound, 2 * L, 0f);
      }
    }
    for (int i = 0; i < n; i += L) {
      boolean main = i < bound;
      float[] xs = main ? x : t;
      int xi = main ? xOff + i : 0;
      float[] ys = main ? y : t;
      int yi = main ? yOff + i : 2 * L;
      float[] hs = g == null ? ys : t;
      int hi = g == null ? yi : 3 * L;
      switch (fn) {
        case TANH -> VectorFloatMath.tanh(xs, xi, hs, hi);
        case TANH_DERIVATIVE -> VectorFloatMath.tanhDerivative(xs, xi, hs, hi);
        case SOFTPLUS -> VectorFloatMath.softplus(xs, xi, hs, hi);
        case SIGMOID -> VectorFloatMath.sigmoid(xs, xi, hs, hi);
        default -> VectorFloatMath.sigmoidDerivative(xs, xi, hs, hi);
      }
      if (g != null) {
        FloatVector.fromArray(S, main ? g : t, main ? gOff + i : L)
            .mul(FloatVector.fromArray(S, t, 3 * L)).intoArray(ys, yi);
      }
    }
    if (bound < n) {
      System.arraycopy(t, 2 * L, y, yOff + bound, n - bound);
    }
  }

  /** y = x (nothing to do in place). */
  private static void copy(int n, float[] x, int xOff, float[] y, int yOff) {
    if (x != y || xOff != yOff) {
      System.arraycopy(x, xOff, y, yOff, n);
    }
  }

  private static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    FloatVector zero = FloatVector.zero(S);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i); // x <= 0 is false for NaN
      v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = (float) Activation.RELU.apply(x[xOff + i]);
    }
  }

  private static void reluDerivative(int n, float[] x, int xOff, float[] y, int yOff) {
    FloatVector zero = FloatVector.zero(S);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i); // 1 where x > 0, else 0 (NaN too)
      zero.blend(1f, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = (float) Activation.RELU.derivative(x[xOff + i]);
    }
  }

  private static void mulReluDerivative(int n, float[] x, int xOff, float[] g, int gOff,
      float[] y, int yOff) {
    FloatVector zero = FloatVector.zero(S);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      FloatVector d = zero.blend(1f, v.compare(VectorOperators.GT, 0f));
      FloatVector.fromArray(S, g, gOff + i).mul(d).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = g[gOff + i] * (float) Activation.RELU.derivative(x[xOff + i]);
    }
  }
}
