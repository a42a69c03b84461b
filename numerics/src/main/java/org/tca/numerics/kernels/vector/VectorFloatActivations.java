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
 * <p>Formulations (with e = exp(-|x|) in [0, 1], so nothing overflows for any finite x and the
 * results are accurate relative to their own size, also in the tails):
 * <ul>
 *   <li>relu(x) = x if x &gt; 0 or x is NaN, else +0; relu'(x) = 1 if x &gt; 0 else 0 (0 at
 *       x = 0 and for NaN, exactly as {@link Activation#apply}). The backward step multiplies g by 1 or 0,
 *       so y = g * f'(x) holds bit for bit (signed zeros and NaN g included).</li>
 *   <li>tanh(x): the lanewise TANH operator; tanh'(x) = sech^2(x) = 4 e2 / (1 + e2)^2 with
 *       e2 = exp(-2|x|), which keeps full relative accuracy where 1 - tanh^2 would cancel.</li>
 *   <li>softplus(x) = max(x, 0) + log1p(e).</li>
 *   <li>sigmoid(x) = 1 / (1 + e) for x &gt;= 0 and e / (1 + e) for x &lt; 0;
 *       softplus' = sigmoid.</li>
 *   <li>sigmoid'(x) = e / (1 + e)^2, symmetric in x.</li>
 * </ul>
 * Each loop runs whole vectors of {@code SPECIES_PREFERRED} to {@code loopBound(n)} and
 * finishes with a scalar tail that evaluates the double-precision reference
 * ({@link Activation#apply}, {@link Activation#derivative}) rounded once. A switch on f picks
 * a dedicated loop outside the hot path. y may alias x (and g), element for element.
 */
final class VectorFloatActivations {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private VectorFloatActivations() {}

  static void activation(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    switch (f) {
      case IDENTITY -> copy(n, x, xOff, y, yOff);
      case RELU -> relu(n, x, xOff, y, yOff);
      case TANH -> tanh(n, x, xOff, y, yOff);
      case SOFTPLUS -> softplus(n, x, xOff, y, yOff);
      case SIGMOID -> sigmoid(Activation.SIGMOID, n, x, xOff, y, yOff);
    }
  }

  static void activationDerivative(Activation f, int n, float[] x, int xOff, float[] y, int yOff) {
    switch (f) {
      case IDENTITY -> Arrays.fill(y, yOff, yOff + n, 1f);
      case RELU -> reluDerivative(n, x, xOff, y, yOff);
      case TANH -> tanhDerivative(n, x, xOff, null, 0, y, yOff);
      case SOFTPLUS -> sigmoid(Activation.SOFTPLUS, n, x, xOff, y, yOff);
      case SIGMOID -> sigmoidDerivative(n, x, xOff, null, 0, y, yOff);
    }
  }

  static void mulActivationDerivative(Activation f, int n, float[] x, int xOff,
      float[] g, int gOff, float[] y, int yOff) {
    switch (f) {
      case IDENTITY -> copy(n, g, gOff, y, yOff);
      case RELU -> mulReluDerivative(n, x, xOff, g, gOff, y, yOff);
      case TANH -> tanhDerivative(n, x, xOff, g, gOff, y, yOff);
      case SOFTPLUS -> mulSigmoid(n, x, xOff, g, gOff, y, yOff);
      case SIGMOID -> sigmoidDerivative(n, x, xOff, g, gOff, y, yOff);
    }
  }

  /** y = x (nothing to do in place). */
  private static void copy(int n, float[] x, int xOff, float[] y, int yOff) {
    if (x != y || xOff != yOff) {
      System.arraycopy(x, xOff, y, yOff, n);
    }
  }

  // ------------------------------------------------------------------ lanewise formulas

  /** 1 where x &gt; 0, else 0 (NaN compares false). */
  private static FloatVector reluDerivativeV(FloatVector v) {
    return FloatVector.zero(S).blend(1f, v.compare(VectorOperators.GT, 0f));
  }

  /** sigmoid(x): r = 1 / (1 + e); r for x &gt;= 0, e r for x &lt; 0 (NaN stays NaN). */
  private static FloatVector sigmoidV(FloatVector v) {
    FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
    FloatVector r = FloatVector.broadcast(S, 1f).div(e.add(1f));
    return r.blend(e.mul(r), v.compare(VectorOperators.LT, 0f));
  }

  /** e / (1 + e)^2 with e = exp(-|x|), i.e. sigmoid'(x). */
  private static FloatVector sigmoidDerivativeV(FloatVector v) {
    FloatVector e = v.abs().neg().lanewise(VectorOperators.EXP);
    FloatVector q = e.add(1f);
    return e.div(q.mul(q));
  }

  /** 4 e2 / (1 + e2)^2 with e2 = exp(-2|x|), i.e. sech^2(x) = tanh'(x). */
  private static FloatVector tanhDerivativeV(FloatVector v) {
    FloatVector e = v.abs().mul(-2f).lanewise(VectorOperators.EXP);
    FloatVector q = e.add(1f);
    return e.mul(4f).div(q.mul(q));
  }

  // ------------------------------------------------------------------ forward loops

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

  private static void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.TANH).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = (float) Activation.TANH.apply(x[xOff + i]);
    }
  }

  private static void softplus(int n, float[] x, int xOff, float[] y, int yOff) {
    FloatVector zero = FloatVector.zero(S);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, xOff + i);
      FloatVector l = v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P);
      // max(x, 0) as a blend: +0 for x <= 0 and for NaN (then l is NaN, so y is NaN).
      zero.blend(v, v.compare(VectorOperators.GT, 0f)).add(l).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = (float) Activation.SOFTPLUS.apply(x[xOff + i]);
    }
  }

  /** sigmoid(x): the SIGMOID forward and the SOFTPLUS derivative (tail evaluates ref). */
  private static void sigmoid(Activation ref, int n, float[] x, int xOff, float[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      sigmoidV(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      float xi = x[xOff + i];
      y[yOff + i] = (float) (ref == Activation.SIGMOID ? ref.apply(xi) : ref.derivative(xi));
    }
  }

  // ------------------------------------------------------------------ derivative loops

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

  /** y = tanh'(x), or y = g * tanh'(x) when g is not null. */
  private static void tanhDerivative(int n, float[] x, int xOff, float[] g, int gOff,
      float[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    if (g == null) {
      for (; i < bound; i += L) {
        tanhDerivativeV(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
      }
    } else {
      for (; i < bound; i += L) {
        FloatVector d = tanhDerivativeV(FloatVector.fromArray(S, x, xOff + i));
        FloatVector.fromArray(S, g, gOff + i).mul(d).intoArray(y, yOff + i);
      }
    }
    tail(Activation.TANH, i, n, x, xOff, g, gOff, y, yOff);
  }

  /** y = sigmoid'(x), or y = g * sigmoid'(x) when g is not null. */
  private static void sigmoidDerivative(int n, float[] x, int xOff, float[] g, int gOff,
      float[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    if (g == null) {
      for (; i < bound; i += L) {
        sigmoidDerivativeV(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
      }
    } else {
      for (; i < bound; i += L) {
        FloatVector d = sigmoidDerivativeV(FloatVector.fromArray(S, x, xOff + i));
        FloatVector.fromArray(S, g, gOff + i).mul(d).intoArray(y, yOff + i);
      }
    }
    tail(Activation.SIGMOID, i, n, x, xOff, g, gOff, y, yOff);
  }

  /** y = g * softplus'(x) = g * sigmoid(x). */
  private static void mulSigmoid(int n, float[] x, int xOff, float[] g, int gOff,
      float[] y, int yOff) {
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      FloatVector d = sigmoidV(FloatVector.fromArray(S, x, xOff + i));
      FloatVector.fromArray(S, g, gOff + i).mul(d).intoArray(y, yOff + i);
    }
    tail(Activation.SOFTPLUS, i, n, x, xOff, g, gOff, y, yOff);
  }

  /** Scalar tail from i to n: y = f'(x), or g * f'(x) when g is not null. */
  private static void tail(Activation f, int i, int n, float[] x, int xOff, float[] g, int gOff,
      float[] y, int yOff) {
    for (; i < n; i++) {
      float d = (float) f.derivative(x[xOff + i]);
      y[yOff + i] = g == null ? d : g[gOff + i] * d;
    }
  }
}
