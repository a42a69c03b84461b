package org.tca.numerics.kernels.vector;

import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.IS_NEGATIVE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LT;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.EXP_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.EXP_HI_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.EXP_LO_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.LN2_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.LN2_HI_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.LN2_LO_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.LOG1P_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.LOG2E_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.TANH_F64;
import static org.tca.numerics.kernels.vector.PolynomialCoefficients.TANH_SWITCH_F64;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Deterministic lanewise exp, log1p, tanh, sigmoid, softplus and the derivatives of tanh and
 * sigmoid on vectors of {@code SPECIES_PREFERRED}, built only from operations whose results
 * IEEE 754 specifies exactly (add, sub, mul, div, fma, abs, neg, min, max, compares, blends, bit
 * shifts and reinterpretation), so they return the same bits interpreted and C2-compiled, for
 * any vector width, on every JVM. (The Vector API's EXP, TANH and
 * LOG1P operators do not: their interpreted and intrinsic versions round differently.)
 * Constants are in {@link PolynomialCoefficients}; u is the unit roundoff (2^-24 here, 2^-53 in
 * the f64 twin), TINY the smallest subnormal.
 *
 * <p>Error bounds relative to the exact function of the (exact) input, for normal results.
 * They are first-order running error bounds: every rounded operation adds u |result|, errors
 * propagate with the operation's partial derivatives, an input that enters an expression more
 * than once (e in e / (1 + e)) with the expression's true sensitivity, and the algorithmic
 * error (Cody-Waite constants, rounded coefficients, truncated series) is the distance of the
 * exactly evaluated algorithm from the function; maximised over a dense grid of inputs (20001
 * points per range plus the reduction endpoints and branch switches). The two precisions'
 * bounds differ by at most 0.3u; the larger is given. Results in the subnormal range add TINY/2
 * per rounding there.
 * <ul>
 *   <li>exp(x): clamp x to [EXP_LO, EXP_HI]; k = round(x log2 e), r = (x - k LN2_HI) - k LN2_LO
 *       (the first step exact, the second one rounding, |r| &lt;= 0.3466); p = Horner(r) of
 *       the degree-8 (14) Taylor polynomial, one fma per step; y = p 2^k1 2^k2 with
 *       k1 = round(k/2), k2 = k - k1, the powers built from exponent bits (both normal, so the
 *       only rounding is into a subnormal result; the product overflows exactly when e^x does).
 *       1.85u (the final rounding u, the Horner steps 0.5u, r's rounding |r| u); +Inf gives
 *       +Inf, -Inf gives +0.</li>
 *   <li>log1p(e) for e in [0, 1]: f = e (e &lt; 1/2), or f = (e - 1)/2 (exact) and ln2 added
 *       at the end; s = f / (2 + f); log1p(f) = 2 atanh(s) = f - s (f - z Q(z)), z = s^2, so
 *       the division's error only enters the small correction s (f - zQ): 2.82u.</li>
 *   <li>tanh(x) = sign(x) t(|x|): t(a) = a + a^3 P(a^2) for a &lt; 0.75, else 1 - 2e/(1 + e)
 *       with e = exp(-2a) (2e/(1 + e) &lt;= 0.37: no cancellation): 2.73u. Odd bit for bit,
 *       exact for tiny |x| and exactly +-1 once 2e/(1 + e) &lt; u/2.</li>
 *   <li>sigmoid(x) = 1 / (1 + e) for x &gt;= 0, e / (1 + e) for x &lt; 0, e = exp(-|x|): e's
 *       error enters with sensitivity 1/(1 + e): 3.85u.</li>
 *   <li>sigmoid'(x) = e / (1 + e)^2 and tanh'(x) = 4 e / (1 + e)^2 (e = exp(-2|x|)), with
 *       (1 + e)^2 = fma(e, e + 2, 1): sensitivity to e (1 - e)/(1 + e) &lt;= 1: 3.85u.</li>
 *   <li>softplus(x) = max(x, 0) + log1p(exp(-|x|)): 3.64u.</li>
 * </ul>
 * Measured (single precision: every number with 1e-30 &lt;= |x| &lt;= 110 against StrictMath;
 * double precision: 20000 random points per range against mpmath), max errors in ulps,
 * single / double: exp 0.87 / 0.80, tanh 1.25 / 1.18, sigmoid 2.40 / 2.12, sigmoid'
 * 2.38 / 1.86, tanh' 2.73 / 1.94 (single: where exp(-2|x|) is subnormal), softplus
 * 1.62 / 1.79, log1p 0.90 / 1.19. NaN inputs give NaN; nothing overflows for finite inputs
 * except exp itself.
 */
final class VectorDoubleMath {

  private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
  /** 1.5 * 2^(p-1): adding it rounds any |v| &lt; 2^(p-2) to an integer (ties to even). */
  private static final double SHIFT = Math.scalb(1.5d, Double.PRECISION - 1);

  // Constants as vectors, built once (the polynomial coefficients are broadcast in horner: a
  // loop over an array of vectors would make C2 box the Horner accumulator).
  private static final DoubleVector ZERO = DoubleVector.zero(S);
  private static final DoubleVector HALF = DoubleVector.broadcast(S, 0.5d);
  private static final DoubleVector ONE = DoubleVector.broadcast(S, 1d);
  private static final DoubleVector TWO = DoubleVector.broadcast(S, 2d);
  private static final DoubleVector FOUR = DoubleVector.broadcast(S, 4d);
  private static final DoubleVector V_SHIFT = DoubleVector.broadcast(S, SHIFT);
  /** SHIFT + exponent bias: the low bits of SHIFT_BIAS + k are the biased exponent of 2^k. */
  private static final DoubleVector V_SHIFT_BIAS =
      DoubleVector.broadcast(S, SHIFT + Double.MAX_EXPONENT);
  private static final DoubleVector V_EXP_LO = DoubleVector.broadcast(S, EXP_LO_F64);
  private static final DoubleVector V_EXP_HI = DoubleVector.broadcast(S, EXP_HI_F64);
  private static final DoubleVector V_LOG2E = DoubleVector.broadcast(S, LOG2E_F64);
  private static final DoubleVector V_NEG_LN2_HI = DoubleVector.broadcast(S, -LN2_HI_F64);
  private static final DoubleVector V_NEG_LN2_LO = DoubleVector.broadcast(S, -LN2_LO_F64);
  private static final DoubleVector V_LN2 = DoubleVector.broadcast(S, LN2_F64);
  private static final DoubleVector V_TANH_SWITCH = DoubleVector.broadcast(S, TANH_SWITCH_F64);

  private VectorDoubleMath() {}

  // Every function maps one vector, y[yOff, yOff + L) = f(x[xOff, xOff + L)) (y may alias x),
  // through arrays: no vector crosses a method boundary, so nothing is boxed whether or not C2
  // inlines these methods (VectorDoubleLanes). The polynomials are written out in each method
  // for the same reason (a loop over broadcast coefficients, one fma per step).

  /** y = e^x lanewise (see the class comment). */
  static void exp(double[] x, int xOff, double[] y, int yOff) {
    DoubleVector xc = DoubleVector.fromArray(S, x, xOff).max(V_EXP_LO).min(V_EXP_HI); // NaN stays
    DoubleVector k = xc.fma(V_LOG2E, V_SHIFT).sub(V_SHIFT); // round(x log2 e), exactly
    DoubleVector r = k.fma(V_NEG_LN2_HI, xc); // exact
    r = k.fma(V_NEG_LN2_LO, r);
    DoubleVector p = DoubleVector.broadcast(S, EXP_F64[0]);
    for (int i = 1; i < EXP_F64.length; i++) {
      p = p.fma(r, DoubleVector.broadcast(S, EXP_F64[i]));
    }
    DoubleVector k1 = k.fma(HALF, V_SHIFT).sub(V_SHIFT);
    // 2^k for integer-valued k with a normal 2^k: k + bias, shifted into the exponent field
    DoubleVector pow1 = k1.add(V_SHIFT_BIAS).viewAsIntegralLanes()
        .lanewise(LSHL, Double.PRECISION - 1).reinterpretAsDoubles();
    DoubleVector pow2 = k.sub(k1).add(V_SHIFT_BIAS).viewAsIntegralLanes()
        .lanewise(LSHL, Double.PRECISION - 1).reinterpretAsDoubles();
    p.mul(pow1).mul(pow2).intoArray(y, yOff);
  }

  /** y = log(1 + e) lanewise for e in [0, 1] (or NaN); see the class comment. */
  static void log1pUnit(double[] x, int xOff, double[] y, int yOff) {
    DoubleVector e = DoubleVector.fromArray(S, x, xOff);
    VectorMask<Double> upper = e.compare(GE, HALF);
    DoubleVector f = e.blend(e.sub(ONE).mul(HALF), upper); // log1p(e) = ln2 + log1p((e - 1)/2)
    DoubleVector s = f.div(f.add(TWO));
    DoubleVector z = s.mul(s);
    DoubleVector q = DoubleVector.broadcast(S, LOG1P_F64[0]);
    for (int i = 1; i < LOG1P_F64.length; i++) {
      q = q.fma(z, DoubleVector.broadcast(S, LOG1P_F64[i]));
    }
    DoubleVector w = z.neg().fma(q, f); // f - R, R = z Q(z)
    DoubleVector l = s.neg().fma(w, f); // log1p(f) = f - s (f - R)
    l.blend(l.add(V_LN2), upper).intoArray(y, yOff);
  }

  /** y = tanh(x) lanewise; tanh(+-0) = +-0, tanh(+-Inf) = +-1. */
  static void tanh(double[] x, int xOff, double[] y, int yOff) {
    DoubleVector v = DoubleVector.fromArray(S, x, xOff);
    DoubleVector a = v.abs();
    a.add(a).neg().intoArray(y, yOff);
    exp(y, yOff, y, yOff);
    DoubleVector e = DoubleVector.fromArray(S, y, yOff);
    DoubleVector z = a.mul(a);
    DoubleVector p = DoubleVector.broadcast(S, TANH_F64[0]);
    for (int i = 1; i < TANH_F64.length; i++) {
      p = p.fma(z, DoubleVector.broadcast(S, TANH_F64[i]));
    }
    DoubleVector small = z.mul(a).fma(p, a); // a + a^3 P(a^2)
    DoubleVector large = ONE.sub(e.add(e).div(e.add(ONE))); // 1 - 2e/(1+e)
    DoubleVector t = large.blend(small, a.compare(LT, V_TANH_SWITCH));
    t.blend(t.neg(), v.test(IS_NEGATIVE)).intoArray(y, yOff);
  }

  /**
   * y = tanh'(x) = 4 e / (1 + e)^2 with e = exp(-2|x|), (1 + e)^2 = 1 + e (e + 2) in one fma
   * (one rounding fewer than squaring a rounded 1 + e).
   */
  static void tanhDerivative(double[] x, int xOff, double[] y, int yOff) {
    DoubleVector a = DoubleVector.fromArray(S, x, xOff).abs();
    a.add(a).neg().intoArray(y, yOff);
    exp(y, yOff, y, yOff);
    DoubleVector e = DoubleVector.fromArray(S, y, yOff);
    e.mul(FOUR).div(e.fma(e.add(TWO), ONE)).intoArray(y, yOff);
  }

  /** y = sigmoid(x) = 1 / (1 + e) for x &gt;= 0, e / (1 + e) for x &lt; 0, e = exp(-|x|). */
  static void sigmoid(double[] x, int xOff, double[] y, int yOff) {
    DoubleVector v = DoubleVector.fromArray(S, x, xOff);
    v.abs().neg().intoArray(y, yOff);
    exp(y, yOff, y, yOff);
    DoubleVector e = DoubleVector.fromArray(S, y, yOff);
    ONE.blend(e, v.compare(LT, ZERO)).div(e.add(ONE)).intoArray(y, yOff);
  }

  /** y = sigmoid'(x) = e / (1 + e)^2, e = exp(-|x|), (1 + e)^2 in one fma as for tanh'. */
  static void sigmoidDerivative(double[] x, int xOff, double[] y, int yOff) {
    DoubleVector.fromArray(S, x, xOff).abs().neg().intoArray(y, yOff);
    exp(y, yOff, y, yOff);
    DoubleVector e = DoubleVector.fromArray(S, y, yOff);
    e.div(e.fma(e.add(TWO), ONE)).intoArray(y, yOff);
  }

  /** y = softplus(x) = max(x, 0) + log1p(e), e = exp(-|x|). */
  static void softplus(double[] x, int xOff, double[] y, int yOff) {
    DoubleVector v = DoubleVector.fromArray(S, x, xOff);
    v.abs().neg().intoArray(y, yOff);
    exp(y, yOff, y, yOff);
    log1pUnit(y, yOff, y, yOff);
    v.max(ZERO).add(DoubleVector.fromArray(S, y, yOff)).intoArray(y, yOff);
  }
}
