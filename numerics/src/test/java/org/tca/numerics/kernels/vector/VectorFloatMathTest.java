package org.tca.numerics.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Activation;

/**
 * {@link VectorFloatMath} against double-precision StrictMath oracles over dense sweeps: a
 * log-spaced grid over the whole range of each function (both signs), uniform random points where
 * the functions vary, runs of consecutive floating-point numbers around every branch switch and
 * threshold (tanh's 0.75, log1p's 1/2, exp's overflow threshold ln(MAX) and the subnormal and zero
 * results below ln(MIN_NORMAL)), and the specials (signed zeros, subnormals, +-MAX, +-Inf, NaN).
 *
 * <p>Bounds: |y - ref| &lt;= c u |ref| / (1 - c u) + t TINY + r u_d |ref|, with u the unit
 * roundoff of the storage type, TINY its smallest subnormal and u_d = 2^-53 that of the oracle.
 * c is the first-order running error bound derived in {@link VectorFloatMath} (each rounding
 * u |result|, propagated with the true sensitivities, plus the algorithmic error of the rounded
 * constants and polynomials, maximised over a dense grid; the two precisions' bounds agree to
 * 0.3u), rounded up by 0.05-0.1u for the grid and the second-order terms:
 * exp 1.9 (derived 1.85), log1p on [0, 1] 2.9 (2.82), tanh 2.8 (2.73), sigmoid 3.9 (3.84),
 * sigmoid' and tanh' 3.9 (3.84), softplus 3.7 (3.64). t is TINY/2 per rounding into the subnormal
 * range that can reach the result (exp: 1/2; sigmoid, sigmoid', softplus: 1; tanh': 4 * 1/2 + 1/2),
 * plus half of the oracle's subnormal ulp.
 * r is the oracle's own error: StrictMath exp and log1p &lt; 1 ulp (r = 2), tanh 2.5 ulps (5);
 * the {@link Activation} references add their own roundings (sigmoid 1/(1 + e) or e/(1 + e): 4;
 * e/(1 + e)^2: 6; softplus: 5). In f32 r is negligible, in the f64 twin it is as large as c.
 * Each test prints the largest error seen, in ulps of the rounded reference and in u relative.
 */
class VectorFloatMathTest {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final double U = Math.ulp(1.0f) / 2;
  private static final double UD = Math.ulp(1.0) / 2;
  private static final double TINY = Float.MIN_VALUE;
  private static final float MAX = Float.MAX_VALUE;

  @Test
  void expIsWithinItsBoundEverywhere() {
    float lnMax = (float) Math.log(MAX);
    float lnMinNormal = (float) Math.log(Float.MIN_NORMAL);
    float lnZero = (float) (Math.log(TINY) - Math.log(2)); // e^x below TINY / 2
    double[] x = inputs(1e-6, 1.2 * lnMax, 1.2 * lnMax,
        around(lnMax, 300), around(-lnMax, 300), around(lnMinNormal, 300), around(lnZero, 300),
        around(0.5f * (float) Math.log(2), 100), around(-0.5f * (float) Math.log(2), 100),
        uniform(lnZero, lnMinNormal, 20000));
    check("exp", VectorFloatMath::exp, StrictMath::exp, x, 1.9, 0.5, 2);
    float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        MAX, -MAX, 2 * lnMax, 2 * lnZero, Float.MIN_VALUE, -Float.MIN_VALUE};
    float[] want = {1f, 1f, Float.POSITIVE_INFINITY, 0f, Float.NaN, Float.POSITIVE_INFINITY, 0f,
        Float.POSITIVE_INFINITY, 0f, 1f, 1f};
    assertExactly("exp", VectorFloatMath::exp, special, want);
  }

  @Test
  void log1pOnTheUnitIntervalIsWithinItsBound() {
    double[] x = concat(logGrid(Float.MIN_VALUE, 1, 200000), around(0.5f, 2000), around(1f, 2000),
        uniform(0, 1, 100000));
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.min(Math.abs(x[i]), 1);
    }
    check("log1p", VectorFloatMath::log1pUnit, StrictMath::log1p, x, 2.9, 1, 2);
    assertExactly("log1p", VectorFloatMath::log1pUnit, new float[] {0f, Float.MIN_VALUE, Float.NaN},
        new float[] {0f, Float.MIN_VALUE, Float.NaN});
  }

  @Test
  void tanhIsWithinItsBoundAndSaturatesExactly() {
    double[] x = inputs(Float.MIN_NORMAL, 20, 12, around(0.75f, 3000), around(-0.75f, 3000));
    check("tanh", VectorFloatMath::tanh, StrictMath::tanh, x, 2.8, 0, 5);
    float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, 20f, -20f, MAX, -MAX,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    float[] want = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, 1f, -1f, 1f, -1f, 1f, -1f,
        Float.NaN};
    assertExactly("tanh", VectorFloatMath::tanh, special, want);
    float[] pos = toStorage(x);
    float[] neg = pos.clone();
    for (int i = 0; i < neg.length; i++) {
      neg[i] = -pos[i];
    }
    float[] tp = apply(VectorFloatMath::tanh, pos);
    float[] tn = apply(VectorFloatMath::tanh, neg);
    for (int i = 0; i < pos.length; i++) {
      assertEquals(-tp[i], tn[i], "tanh is odd, bit for bit, at " + pos[i]);
    }
  }

  @Test
  void sigmoidAndItsDerivativeAreWithinTheirBounds() {
    double[] x = inputs(Float.MIN_NORMAL, 120, 20);
    check("sigmoid", VectorFloatMath::sigmoid, Activation.SIGMOID::apply, x, 3.9, 1, 4);
    check("sigmoid'", VectorFloatMath::sigmoidDerivative, Activation.SIGMOID::derivative, x, 3.9,
        1, 6);
    float[] special = {0f, -0f, 1e4f, -1e4f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN};
    assertExactly("sigmoid", VectorFloatMath::sigmoid, special,
        new float[] {0.5f, 0.5f, 1f, 0f, 1f, 0f, Float.NaN});
    assertExactly("sigmoid'", VectorFloatMath::sigmoidDerivative, special,
        new float[] {0.25f, 0.25f, 0f, 0f, 0f, 0f, Float.NaN});
  }

  @Test
  void tanhDerivativeIsWithinItsBound() {
    double[] x = inputs(Float.MIN_NORMAL, 60, 12);
    check("tanh'", VectorFloatMath::tanhDerivative, Activation.TANH::derivative, x, 3.9, 2.5, 6);
    float[] special = {0f, -0f, 1e4f, -1e4f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN};
    assertExactly("tanh'", VectorFloatMath::tanhDerivative, special,
        new float[] {1f, 1f, 0f, 0f, 0f, 0f, Float.NaN});
  }

  @Test
  void softplusIsWithinItsBound() {
    double[] x = inputs(Float.MIN_NORMAL, 120, 40);
    check("softplus", VectorFloatMath::softplus, Activation.SOFTPLUS::apply, x, 3.7, 1, 5);
    float[] special = {100f, 1e4f, -1e4f, MAX, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN};
    assertExactly("softplus", VectorFloatMath::softplus, special,
        new float[] {100f, 1e4f, 0f, MAX, Float.POSITIVE_INFINITY, 0f, Float.NaN});
  }

  /**
   * A log-spaced grid of 2^17 magnitudes in [lo, hi] with both signs, uniform random points in
   * [-dense, dense], and the extra arrays.
   */
  private static double[] inputs(double lo, double hi, double dense, double[]... extra) {
    double[] grid = logGrid(lo, hi, 1 << 17);
    double[] both = new double[2 * grid.length];
    for (int i = 0; i < grid.length; i++) {
      both[2 * i] = grid[i];
      both[2 * i + 1] = -grid[i];
    }
    return concat(concat(both, uniform(-dense, dense, 1 << 17)), extra);
  }

  private static double[] logGrid(double lo, double hi, int n) {
    double[] x = new double[n];
    double step = Math.log(hi / lo) / (n - 1);
    for (int i = 0; i < n; i++) {
      x[i] = lo * Math.exp(i * step);
    }
    return x;
  }

  private static double[] uniform(double lo, double hi, int n) {
    SplittableRandom rnd = new SplittableRandom(n);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextDouble(lo, hi);
    }
    return x;
  }

  /** c and the k representable numbers on either side of it. */
  private static double[] around(float c, int k) {
    double[] x = new double[2 * k + 1];
    float up = c;
    float down = c;
    x[0] = c;
    for (int i = 1; i <= k; i++) {
      up = Math.nextUp(up);
      down = Math.nextDown(down);
      x[2 * i - 1] = up;
      x[2 * i] = down;
    }
    return x;
  }

  private static double[] concat(double[] a, double[]... more) {
    double[] out = a;
    for (double[] m : more) {
      double[] c = Arrays.copyOf(out, out.length + m.length);
      System.arraycopy(m, 0, c, out.length, m.length);
      out = c;
    }
    return out;
  }

  private static float[] toStorage(double[] x) {
    float[] a = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      a[i] = (float) x[i];
    }
    return a;
  }

  /** A VectorFloatMath function: y[yOff, yOff + L) = f(x[xOff, xOff + L)). */
  @FunctionalInterface
  private interface Lanewise {
    void apply(float[] x, int xOff, float[] y, int yOff);
  }

  /** f on whole vectors (the input padded with zeros to a multiple of the lane count). */
  private static float[] apply(Lanewise f, float[] x) {
    int n = x.length;
    float[] in = Arrays.copyOf(x, S.loopBound(n + S.length() - 1));
    float[] out = new float[in.length];
    for (int i = 0; i < in.length; i += S.length()) {
      f.apply(in, i, out, i);
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Asserts the bound of the class comment at every input: c (units of u), t (units of TINY), r
   * (units of u_d). An infinite result must be the reference's infinity, or the reference must
   * be within the bound of overflowing; a NaN result needs a NaN reference.
   */
  private static void check(String name, Lanewise f, DoubleUnaryOperator ref,
      double[] inputs, double c, double t, double r) {
    float[] x = toStorage(inputs);
    float[] y = apply(f, x);
    double cu = c * U / (1 - c * U);
    // t TINY, plus half a subnormal ulp of the oracle (negligible here; in the f64 twin TINY is
    // the oracle's subnormal ulp too, and t TINY alone could round to 0)
    double sub = (t + Double.MIN_VALUE / TINY / 2) * TINY;
    double worstUlps = 0;
    double worstRel = 0;
    float worstAt = 0;
    for (int i = 0; i < x.length; i++) {
      double want = ref.applyAsDouble(x[i]);
      double bound = cu * Math.abs(want) + sub + r * UD * Math.abs(want);
      if (Double.isNaN(want) || Float.isNaN(y[i])) {
        assertTrue(Double.isNaN(want) && Float.isNaN(y[i]),
            name + "(" + x[i] + ") = " + y[i] + ", reference " + want);
        continue;
      }
      if (Float.isInfinite(y[i]) || Float.isInfinite((float) want)) {
        boolean sameSign = Math.signum(y[i]) == Math.signum(want);
        assertTrue(sameSign && Math.abs(want) + bound >= MAX && Math.abs(y[i]) >= MAX * (1 - cu),
            name + "(" + x[i] + ") = " + y[i] + ", reference " + want);
        continue;
      }
      double err = Math.abs(y[i] - want);
      if (!(err <= bound)) {
        fail(String.format(Locale.ROOT, "%s(%s) = %s, reference %s: error %.4g > bound %.4g",
            name, x[i], y[i], want, err, bound));
      }
      double ulps = err / Math.ulp((float) want);
      if (ulps > worstUlps) {
        worstUlps = ulps;
        worstAt = x[i];
      }
      if (Math.abs(want) >= Float.MIN_NORMAL) {
        worstRel = Math.max(worstRel, err / Math.abs(want) / U);
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d inputs, max error %.4g ulp (at %s), %.4g u relative"
        + " (bound %s u + %s u_d)%n", name, x.length, worstUlps, worstAt, worstRel, c, r);
  }

  private static void assertExactly(String name, Lanewise f, float[] x,
      float[] want) {
    float[] y = apply(f, x);
    for (int i = 0; i < x.length; i++) {
      assertEquals(want[i], y[i], name + "(" + x[i] + ")");
    }
  }
}
