package org.tca.numerics.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.kernels.DoubleKernelTesting.SIZES;
import static org.tca.numerics.kernels.DoubleKernelTesting.TINY;
import static org.tca.numerics.kernels.DoubleKernelTesting.TINY_D;
import static org.tca.numerics.kernels.DoubleKernelTesting.U;
import static org.tca.numerics.kernels.DoubleKernelTesting.X_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.Y_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.Z_OFF;
import static org.tca.numerics.kernels.DoubleKernelTesting.array;
import static org.tca.numerics.kernels.DoubleKernelTesting.assertUntouchedOutside;
import static org.tca.numerics.kernels.DoubleKernelTesting.assertWithin;
import static org.tca.numerics.kernels.DoubleKernelTesting.gamma;
import static org.tca.numerics.kernels.DoubleKernelTesting.gammaD;
import static org.tca.numerics.kernels.DoubleKernelTesting.kernels;
import static org.tca.numerics.kernels.DoubleKernelTesting.spread;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * activation, activationDerivative and mulActivationDerivative of both providers against the
 * double-precision definitions in {@link Activation}, for every activation and awkward size.
 *
 * <p>Bounds: |y - ref| &lt;= c u (|ref| + e_ref) / (1 - c u) + t TINY + e_ref, with ref the
 * double-precision {@link Activation} definition, e_ref its own error bound, u the unit roundoff
 * of the storage type and TINY its smallest subnormal.
 * <ul>
 *   <li>c and t are the vector provider's: tanh, softplus, sigmoid and their derivatives are
 *       org.tca.numerics.kernels.vector.VectorDoubleMath (exact IEEE operations only, so the
 *       same bits interpreted and compiled), whose first-order running error bounds relative to
 *       the exact function are derived in its class comment and tested on dense sweeps in
 *       VectorDoubleMathTest: tanh 2.8u, softplus 3.7u, sigmoid 3.9u, sigmoid' = e/(1 + e)^2
 *       and tanh' = 4 e2/(1 + e2)^2 3.9u. t: each rounding into the subnormal range adds
 *       TINY/2 (tanh: 1, sigmoid, sigmoid', softplus: 1, tanh': 4 * 1/2 + 1/2).</li>
 *   <li>The scalar provider rounds the reference once (u |ref| + TINY/2), inside every bound.</li>
 *   <li>e_ref, the references' own errors in double (unit roundoff u_d; StrictMath exp and log1p
 *       within 1 ulp = 2 u_d relative, tanh within 2.5 ulps): tanh gamma_5; softplus
 *       x + log1p(exp(-x)): 2 + 2 + 1, gamma_5; sigmoid 1/(1 + e) or e/(1 + e): at most
 *       2 + 1 + 1, gamma_5; e/(1 + e)^2 and 4 e/(1 + e)^2: the error of e enters with
 *       sensitivity (1 - e)/(1 + e) &lt;= 1, then 1 + e (doubled by the square), the square and
 *       the division: gamma_6. Plus their subnormal rounding, a few TINY_D.</li>
 *   <li>g * f'(x): one more rounding, gamma_1 |g f'| + TINY / 2.</li>
 *   <li>identity and ReLU (and their derivatives and backward steps) are exact, signed zeros
 *       included.</li>
 * </ul>
 */
class DoubleActivationKernelsTest {

  /** Large, tiny, signed-zero, subnormal and non-finite inputs, mixed into the random ones. */
  private static final double[] SPECIAL = {0.0, -0.0, 1e-30, -1e-30, 1e-40, -1e-40,
      Double.MIN_VALUE, 20, -20, 44, -44, 88, -88, 100, -100, 1e4, -1e4, Double.MAX_VALUE,
      -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void everyActivationMeetsItsBoundsAtEverySize(String provider) {
    DoubleKernels k = kernels(provider);
    SplittableRandom rnd = new SplittableRandom(7);
    for (Activation f : Activation.values()) {
      for (int n : SIZES) {
        double[] x = inputs(rnd, n);
        double[] g = spread(rnd, Z_OFF, n, 6, 1);
        check(k, f, n, x, g, provider + " " + f + " n=" + n);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"scalar", "vector"})
  void edgeValuesNeitherOverflowNorLoseExactness(String provider) {
    DoubleKernels k = kernels(provider);
    int n = 3 * SPECIAL.length; // long enough for whole vectors and a tail
    double[] x = array(X_OFF, n, new java.util.function.DoubleSupplier() {
      private int i;

      @Override
      public double getAsDouble() {
        return SPECIAL[i++ % SPECIAL.length];
      }
    });
    double[] g = spread(new SplittableRandom(8), Z_OFF, n, 3, 1);
    double[] y = new double[Y_OFF + n];
    for (Activation f : Activation.values()) {
      check(k, f, n, x, g, provider + " " + f + " edge");
      k.activation(f, n, x, X_OFF, y, Y_OFF);
      assertAllFiniteWhereInputIs(x, y, provider + " " + f);
      k.activationDerivative(f, n, x, X_OFF, y, Y_OFF);
      assertAllFiniteWhereInputIs(x, y, provider + " " + f + "'");
    }
    double[] e = {0d, -0d, 100d, -100d, 1e4d, -1e4d};
    double[] out = new double[e.length];
    k.activationDerivative(Activation.RELU, e.length, e, 0, out, 0);
    assertArrayEquals(new double[] {0d, 0d, 1d, 0d, 1d, 0d}, out, provider + " relu'");
    k.activation(Activation.RELU, e.length, e, 0, out, 0);
    assertArrayEquals(new double[] {0d, 0d, 100d, 0d, 1e4d, 0d}, out, provider + " relu(-0) = +0");
    k.activation(Activation.SOFTPLUS, e.length, e, 0, out, 0);
    assertEquals(100d, out[2], provider + " softplus(100)");
    assertEquals(1e4d, out[4], provider + " softplus(1e4)");
    assertEquals(0d, out[5], provider + " softplus(-1e4)");
    k.activation(Activation.SIGMOID, e.length, e, 0, out, 0);
    assertEquals(1d, out[2], provider + " sigmoid(100)");
    assertEquals(0d, out[5], provider + " sigmoid(-1e4)");
    k.activation(Activation.TANH, e.length, e, 0, out, 0);
    assertEquals(-0d, out[1], provider + " tanh(-0)");
    assertEquals(-1d, out[3], provider + " tanh(-100)");
  }

  /**
   * Run the vector kernels until C2 compiles them, then check the same bounds again. (Best
   * effort: whether compilation has finished is not visible, and the bounds must hold either
   * way; that the compiled bits equal the interpreted ones is KernelDeterminismTest's job.)
   */
  @Test
  void compiledVectorKernelsMeetTheSameBounds() {
    DoubleKernels k = Kernels.vectorF64();
    int n = 253;
    SplittableRandom rnd = new SplittableRandom(9);
    double[] x = inputs(rnd, n);
    double[] g = spread(rnd, Z_OFF, n, 6, 1);
    double[] y = new double[Y_OFF + n];
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
  private static double[] inputs(SplittableRandom rnd, int n) {
    return array(X_OFF, n, () -> {
      double p = rnd.nextDouble();
      return p < 0.1 ? SPECIAL[rnd.nextInt(SPECIAL.length)]
          : p < 0.3 ? rnd.nextDouble(-40, 40) : rnd.nextDouble(-6, 6);
    });
  }

  /** All three kernels of f, into a fresh output and in place, against the bounds. */
  private static void check(DoubleKernels k, Activation f, int n, double[] x, double[] g,
      String what) {
    double[] x0 = x.clone();
    double[] g0 = g.clone();
    double[] y0 = array(Y_OFF, n, () -> 42);
    double[] y = y0.clone();
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

    double[] xa = x0.clone();
    k.activation(f, n, xa, X_OFF, xa, X_OFF);
    assertForward(f, n, x0, xa, X_OFF, what + " f in place");
    xa = x0.clone();
    k.activationDerivative(f, n, xa, X_OFF, xa, X_OFF);
    assertDerivative(f, n, x0, xa, X_OFF, what + " f' in place");
    double[] ga = g0.clone();
    k.mulActivationDerivative(f, n, x0, X_OFF, ga, Z_OFF, ga, Z_OFF);
    assertBackward(f, n, x0, g0, ga, Z_OFF, what + " g*f' into g");
  }

  private static void assertForward(Activation f, int n, double[] x, double[] y, int yOff,
      String what) {
    for (int i = 0; i < n; i++) {
      double ref = f.apply(x[X_OFF + i]);
      assertBounded(ref, y[yOff + i], forwardBound(f, ref), what + " x=" + x[X_OFF + i]);
    }
  }

  private static void assertDerivative(Activation f, int n, double[] x, double[] y, int yOff,
      String what) {
    for (int i = 0; i < n; i++) {
      double ref = f.derivative(x[X_OFF + i]);
      assertBounded(ref, y[yOff + i], derivativeBound(f, ref), what + " x=" + x[X_OFF + i]);
    }
  }

  private static void assertBackward(Activation f, int n, double[] x, double[] g, double[] y,
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
  private static void assertBounded(double ref, double got, double tol, String what) {
    if (tol == 0) {
      assertEquals((double) ref, got, what);
    } else {
      assertWithin(ref, got, tol, what);
    }
  }

  /** Bound on |kernel f(x) - ref| with ref = f.apply(x) (see the class comment). */
  static double forwardBound(Activation f, double ref) {
    double a = Math.abs(ref);
    return switch (f) {
      case IDENTITY, RELU -> 0;
      case TANH -> relative(2.8, 1, a, gammaD(5) * a + 2.5 * TINY_D);
      case SOFTPLUS -> relative(3.7, 1, a, gammaD(5) * a + 2 * TINY_D);
      case SIGMOID -> relative(3.9, 1, a, gammaD(5) * a + 1.5 * TINY_D);
    };
  }

  /** Bound on |kernel f'(x) - ref| with ref = f.derivative(x). */
  static double derivativeBound(Activation f, double ref) {
    double a = Math.abs(ref);
    return switch (f) {
      case IDENTITY, RELU -> 0;
      case TANH -> relative(3.9, 2.5, a, gammaD(6) * a + 4.5 * TINY_D);
      case SOFTPLUS -> relative(3.9, 1, a, gammaD(5) * a + 1.5 * TINY_D);
      case SIGMOID -> relative(3.9, 1, a, gammaD(6) * a + 1.5 * TINY_D);
    };
  }

  /**
   * c u |exact| / (1 - c u) + tinies * TINY + refErr, with |exact| &lt;= |ref| + refErr: the
   * kernel's error against the exact value plus the reference's.
   */
  private static double relative(double c, double tinies, double refAbs, double refErr) {
    return c * U / (1 - c * U) * (refAbs + refErr) + tinies * TINY + refErr;
  }

  private static void assertAllFiniteWhereInputIs(double[] x, double[] y, String what) {
    for (int i = 0; i < y.length - Y_OFF && X_OFF + i < x.length; i++) {
      double xi = x[X_OFF + i];
      if (Double.isFinite(xi)) {
        assertTrue(Double.isFinite(y[Y_OFF + i]), what + " overflowed at x=" + xi);
      }
    }
  }
}
