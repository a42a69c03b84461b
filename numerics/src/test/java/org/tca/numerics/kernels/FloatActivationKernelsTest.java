package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.kernels.FloatKernelTesting.SIZES;
import static org.tca.numerics.kernels.FloatKernelTesting.TINY;
import static org.tca.numerics.kernels.FloatKernelTesting.TINY_D;
import static org.tca.numerics.kernels.FloatKernelTesting.X_OFF;
import static org.tca.numerics.kernels.FloatKernelTesting.Y_OFF;
import static org.tca.numerics.kernels.FloatKernelTesting.Z_OFF;
import static org.tca.numerics.kernels.FloatKernelTesting.array;
import static org.tca.numerics.kernels.FloatKernelTesting.assertUntouchedOutside;
import static org.tca.numerics.kernels.FloatKernelTesting.assertWithin;
import static org.tca.numerics.kernels.FloatKernelTesting.gamma;
import static org.tca.numerics.kernels.FloatKernelTesting.gammaD;
import static org.tca.numerics.kernels.FloatKernelTesting.kernels;
import static org.tca.numerics.kernels.FloatKernelTesting.spread;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * activation, activationDerivative and mulActivationDerivative of both providers against the
 * double-precision definitions in {@link Activation}, for every activation and awkward size.
 *
 * <p>Bounds. The transcendental lanewise operators follow the accuracy of the Math method they
 * name (jdk.incubator.vector.VectorOperators, "Operations on floating point vectors"):
 * Math.exp and Math.log1p within 1 ulp, Math.tanh within 2.5 ulps. One ulp of a normal v is at
 * most 2u|v|, i.e. two (1 + delta) factors in gamma_k counting, and at most TINY for a subnormal.
 * With e = exp(-|x|) (exact argument) and q = 1 + e (so e / q &lt;= 1/2, one factor for the
 * error carried in from e plus one rounding):
 * <ul>
 *   <li>tanh: 2.5 ulps: gamma_5 |t| + 2.5 TINY.</li>
 *   <li>softplus = max(x, 0) + log1p(e): log1p(e(1 + eta)) moves by at most |eta| relative, as
 *       log1p(e) &gt;= e / (1 + e); plus 1 ulp of log1p, plus the final addition of two
 *       non-negative terms: gamma_5 |y| + 2 TINY (e and log1p subnormal).</li>
 *   <li>sigmoid = 1/q (3 factors) or e/q (2 + 2 + 1 + 1): gamma_6 |s| + 1.5 TINY.</li>
 *   <li>sigmoid' = e / q^2: e (2), q^2 (2 * 2 + 1), division (1): gamma_8 |d| + 1.5 TINY.</li>
 *   <li>tanh' = 4 e2 / (1 + e2)^2 with e2 = exp(-2|x|) (scaling by 2 and 4 exact): the same
 *       gamma_8 |d|, and 4.5 TINY.</li>
 *   <li>g * f'(x): one more rounding, gamma_1 |g f'| + TINY / 2.</li>
 *   <li>identity and ReLU (and their derivatives and backward steps) are exact, signed zeros
 *       included.</li>
 * </ul>
 * The scalar provider rounds the reference once (u |ref| + TINY / 2), inside every bound. The
 * references' own errors, in double: Math.tanh 2.5 ulps (gamma_5); softplus x + log1p(exp(-x))
 * as above (gamma_5); sigmoid 1/(1 + exp(-x)) or e/(1 + e) (gamma_5); 1 - tanh^2 is absolutely
 * accurate only: |t^2 err| &lt;= (2 * 5 + 1) u t^2 and the subtraction is exact (Sterbenz) or one
 * more rounding (gamma_11 absolute); s (1 - s) is gamma_4 absolute for x &gt;= 0 (1 - s exact)
 * and gamma_12 relative for x &lt; 0.
 */
class FloatActivationKernelsTest {

  /** Large, tiny, signed-zero, subnormal and non-finite inputs, mixed into the random ones. */
  private static final double[] SPECIAL = {0.0, -0.0, 1e-30, -1e-30, 1e-40, -1e-40,
      Float.MIN_VALUE, 20, -20, 44, -44, 88, -88, 100, -100, 1e4, -1e4, Float.MAX_VALUE,
      -Float.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void everyActivationMeetsItsBoundsAtEverySize(String provider) {
    FloatKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(7);
    for (Activation f : Activation.values()) {
      for (int n : SIZES) {
        float[] x = inputs(rnd, n);
        float[] g = spread(rnd, Z_OFF, n, 6, 1);
        check(k, f, n, x, g, provider + " " + f + " n=" + n);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void edgeValuesNeitherOverflowNorLoseExactness(String provider) {
    FloatKernels k = kernels(provider);
    int n = 3 * SPECIAL.length; // long enough for whole vectors and a tail
    float[] x = array(X_OFF, n, new java.util.function.DoubleSupplier() {
      private int i;

      @Override
      public double getAsDouble() {
        return SPECIAL[i++ % SPECIAL.length];
      }
    });
    float[] g = spread(new SplittableRandom(8), Z_OFF, n, 3, 1);
    float[] y = new float[Y_OFF + n];
    for (Activation f : Activation.values()) {
      check(k, f, n, x, g, provider + " " + f + " edge");
      k.activation(f, n, x, X_OFF, y, Y_OFF);
      assertAllFiniteWhereInputIs(x, y, provider + " " + f);
      k.activationDerivative(f, n, x, X_OFF, y, Y_OFF);
      assertAllFiniteWhereInputIs(x, y, provider + " " + f + "'");
    }
    float[] e = {0f, -0f, 100f, -100f, 1e4f, -1e4f};
    float[] out = new float[e.length];
    k.activationDerivative(Activation.RELU, e.length, e, 0, out, 0);
    assertArrayEquals(new float[] {0f, 0f, 1f, 0f, 1f, 0f}, out, provider + " relu'");
    k.activation(Activation.RELU, e.length, e, 0, out, 0);
    assertArrayEquals(new float[] {0f, 0f, 100f, 0f, 1e4f, 0f}, out, provider + " relu(-0) = +0");
    k.activation(Activation.SOFTPLUS, e.length, e, 0, out, 0);
    assertEquals(100f, out[2], provider + " softplus(100)");
    assertEquals(1e4f, out[4], provider + " softplus(1e4)");
    assertEquals(0f, out[5], provider + " softplus(-1e4)");
    k.activation(Activation.SIGMOID, e.length, e, 0, out, 0);
    assertEquals(1f, out[2], provider + " sigmoid(100)");
    assertEquals(0f, out[5], provider + " sigmoid(-1e4)");
    k.activation(Activation.TANH, e.length, e, 0, out, 0);
    assertEquals(-0f, out[1], provider + " tanh(-0)");
    assertEquals(-1f, out[3], provider + " tanh(-100)");
  }

  /**
   * The lanewise transcendental operators have a C2 intrinsic (a native vector math library)
   * and a Java fallback used until then; run the vector kernels until C2 compiles them, then
   * check the same bounds again. (Best effort: whether compilation has finished is not visible,
   * and the bounds must hold either way.)
   */
  @Test
  void compiledVectorKernelsMeetTheSameBounds() {
    FloatKernels k = Kernels.vectorF32();
    int n = 253;
    SplittableRandom rnd = new SplittableRandom(9);
    float[] x = inputs(rnd, n);
    float[] g = spread(rnd, Z_OFF, n, 6, 1);
    float[] y = new float[Y_OFF + n];
    for (Activation f : Activation.values()) {
      for (int rep = 0; rep < 3000; rep++) {
        k.activation(f, n, x, X_OFF, y, Y_OFF);
        k.activationDerivative(f, n, x, X_OFF, y, Y_OFF);
        k.mulActivationDerivative(f, n, x, X_OFF, g, Z_OFF, y, Y_OFF);
      }
      check(k, f, n, x, g, "compiled vector " + f);
    }
  }

  /** Random inputs: mostly in [-6, 6], some in [-40, 40], some from SPECIAL. */
  private static float[] inputs(SplittableRandom rnd, int n) {
    return array(X_OFF, n, () -> {
      double p = rnd.nextDouble();
      return p < 0.1 ? SPECIAL[rnd.nextInt(SPECIAL.length)]
          : p < 0.3 ? rnd.nextDouble(-40, 40) : rnd.nextDouble(-6, 6);
    });
  }

  /** All three kernels of f, into a fresh output and in place, against the bounds. */
  private static void check(FloatKernels k, Activation f, int n, float[] x, float[] g,
      String what) {
    float[] x0 = x.clone();
    float[] g0 = g.clone();
    float[] y0 = array(Y_OFF, n, () -> 42);
    float[] y = y0.clone();
    k.activation(f, n, x, X_OFF, y, Y_OFF);
    assertForward(f, n, x0, y, Y_OFF, what + " f");
    assertUntouchedOutside(y0, y, Y_OFF, n, what + " f");
    y = y0.clone();
    k.activationDerivative(f, n, x, X_OFF, y, Y_OFF);
    assertDerivative(f, n, x0, y, Y_OFF, what + " f'");
    assertUntouchedOutside(y0, y, Y_OFF, n, what + " f'");
    y = y0.clone();
    k.mulActivationDerivative(f, n, x, X_OFF, g, Z_OFF, y, Y_OFF);
    assertBackward(f, n, x0, g0, y, Y_OFF, what + " g*f'");
    assertUntouchedOutside(y0, y, Y_OFF, n, what + " g*f'");
    assertArrayEquals(x0, x, what + ": x was modified");
    assertArrayEquals(g0, g, what + ": g was modified");

    float[] xa = x0.clone();
    k.activation(f, n, xa, X_OFF, xa, X_OFF);
    assertForward(f, n, x0, xa, X_OFF, what + " f in place");
    xa = x0.clone();
    k.activationDerivative(f, n, xa, X_OFF, xa, X_OFF);
    assertDerivative(f, n, x0, xa, X_OFF, what + " f' in place");
    float[] ga = g0.clone();
    k.mulActivationDerivative(f, n, x0, X_OFF, ga, Z_OFF, ga, Z_OFF);
    assertBackward(f, n, x0, g0, ga, Z_OFF, what + " g*f' into g");
  }

  private static void assertForward(Activation f, int n, float[] x, float[] y, int yOff,
      String what) {
    for (int i = 0; i < n; i++) {
      double ref = f.apply(x[X_OFF + i]);
      assertBounded(ref, y[yOff + i], forwardBound(f, ref), what + " x=" + x[X_OFF + i]);
    }
  }

  private static void assertDerivative(Activation f, int n, float[] x, float[] y, int yOff,
      String what) {
    for (int i = 0; i < n; i++) {
      double ref = f.derivative(x[X_OFF + i]);
      assertBounded(ref, y[yOff + i], derivativeBound(f, ref), what + " x=" + x[X_OFF + i]);
    }
  }

  private static void assertBackward(Activation f, int n, float[] x, float[] g, float[] y,
      int yOff, String what) {
    for (int i = 0; i < n; i++) {
      double d = f.derivative(x[X_OFF + i]);
      double gi = g[Z_OFF + i];
      double bd = derivativeBound(f, d);
      double tol = Math.abs(gi) * bd + gamma(1) * Math.abs(gi) * (Math.abs(d) + bd) + TINY / 2
          + gammaD(1) * Math.abs(gi * d);
      assertBounded(gi * d, y[yOff + i], bd == 0 ? 0 : tol,
          what + " x=" + x[X_OFF + i] + " g=" + gi);
    }
  }

  /** A zero bound means exact: the same value, sign of zero included. */
  private static void assertBounded(double ref, float got, double tol, String what) {
    if (tol == 0) {
      assertEquals((float) ref, got, what);
    } else {
      assertWithin(ref, got, tol, what);
    }
  }

  /** Bound on |kernel f(x) - ref| with ref = f.apply(x) (see the class comment). */
  static double forwardBound(Activation f, double ref) {
    double a = Math.abs(ref);
    return switch (f) {
      case IDENTITY, RELU -> 0;
      case TANH -> relative(5, 2.5, a, gammaD(5) * a + 2.5 * TINY_D);
      case SOFTPLUS -> relative(5, 2, a, gammaD(5) * a + 2 * TINY_D);
      case SIGMOID -> relative(6, 1.5, a, gammaD(5) * a + 1.5 * TINY_D);
    };
  }

  /** Bound on |kernel f'(x) - ref| with ref = f.derivative(x). */
  static double derivativeBound(Activation f, double ref) {
    double a = Math.abs(ref);
    return switch (f) {
      case IDENTITY, RELU -> 0;
      case TANH -> relative(8, 4.5, a, gammaD(11));
      case SOFTPLUS -> relative(6, 1.5, a, gammaD(5) * a + 1.5 * TINY_D);
      case SIGMOID -> relative(8, 1.5, a, gammaD(4) + gammaD(12) * a + 1.5 * TINY_D);
    };
  }

  /**
   * gamma_k |exact| + tinies * TINY + refErr, with |exact| &lt;= |ref| + refErr: the kernel's
   * error against the exact value plus the reference's.
   */
  private static double relative(int k, double tinies, double refAbs, double refErr) {
    return gamma(k) * (refAbs + refErr) + tinies * TINY + refErr;
  }

  private static void assertAllFiniteWhereInputIs(float[] x, float[] y, String what) {
    for (int i = 0; i < y.length - Y_OFF && X_OFF + i < x.length; i++) {
      float xi = x[X_OFF + i];
      if (Float.isFinite(xi)) {
        assertTrue(Float.isFinite(y[Y_OFF + i]), what + " overflowed at x=" + xi);
      }
    }
  }
}
