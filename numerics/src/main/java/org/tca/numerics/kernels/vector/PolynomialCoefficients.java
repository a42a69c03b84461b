package org.tca.numerics.kernels.vector;

/**
 * Constants of the vector transcendental functions in {@link VectorFloatMath} (and its generated
 * f64 twin), one set per precision: the f32 template names the {@code *_F32} constants and the
 * twin, by the text substitution F32 -&gt; F64, the {@code *_F64} ones. This file has no twin, so
 * both sets live here. Polynomials are stored for Horner's rule, highest degree first.
 *
 * <ul>
 *   <li>exp: Cody-Waite reduction x = k ln2 + r, |r| &lt;= ln2/2 (1 + 1e-5), with ln2 = LN2_HI +
 *       LN2_LO, LN2_HI short enough that k LN2_HI and x - k LN2_HI are exact for every k the
 *       clamped range [EXP_LO, EXP_HI] gives (|k| &lt;= 152 in f32, 1078 in f64); then
 *       e^r = sum_{i=0..d} r^i / i! (Taylor, d = 8 in f32 and 14 in f64; remainder
 *       &lt;= e^|r| |r|^(d+1) / (d+1)! &lt; 0.01 u relative). EXP_F32 ends with the two unit
 *       coefficients, so one Horner loop evaluates the whole polynomial.</li>
 *   <li>tanh for |x| &lt; TANH_SWITCH = 0.75: tanh(x) = x + x^3 P(x^2) with P a near-minimax
 *       (Chebyshev-fitted) polynomial of degree 5 (f32) or 12 (f64) on x^2 in [0, 0.5625];
 *       relative error of the rounded coefficients' polynomial &lt;= 0.17 u (f32),
 *       0.12 u (f64).</li>
 *   <li>log1p: log1p(f) = 2 atanh(s), s = f / (2 + f), 2 atanh(s) = 2s + s R, R = z Q(z),
 *       z = s^2 &lt;= 0.04, Q a near-minimax fit of (2 atanh(s) - 2s) / s^3 of degree 3 (f32) or
 *       7 (f64); relative error of 2s + s^3 Q &lt;= 0.01 u.</li>
 * </ul>
 * u is the unit roundoff of the precision (2^-24, 2^-53). The fits were computed with mpmath
 * (chebyfit, then rounded to the precision and checked on a dense grid).
 */
final class PolynomialCoefficients {

  private PolynomialCoefficients() {}

  // ---------------------------------------------------------------------------- exp, f32

  /** Inputs are clamped to [EXP_LO, EXP_HI]: e^EXP_LO rounds to 0, e^EXP_HI overflows. */
  static final float EXP_LO_F32 = -104f;
  static final float EXP_HI_F32 = 89f;
  static final float LOG2E_F32 = 1.442695f;
  /** 0x3f317200: 16 significant bits, so k * LN2_HI is exact for |k| &lt; 2^8. */
  static final float LN2_HI_F32 = 0.693145751953125f;
  static final float LN2_LO_F32 = 1.4286068e-6f;
  static final float LN2_F32 = 0.6931472f;
  /** 1/8!, 1/7!, ..., 1/2!, 1, 1. */
  static final float[] EXP_F32 = {2.4801588e-05f, 0.0001984127f, 0.0013888889f, 0.008333334f,
      0.041666668f, 0.16666667f, 0.5f, 1f, 1f};

  // ---------------------------------------------------------------------------- exp, f64

  static final double EXP_LO_F64 = -746.0;
  static final double EXP_HI_F64 = 710.0;
  static final double LOG2E_F64 = 1.4426950408889634;
  /** fdlibm's ln2_hi (0x3fe62e42fee00000): 32 significant bits. */
  static final double LN2_HI_F64 = 6.93147180369123816490e-01;
  static final double LN2_LO_F64 = 1.90821492927058770002e-10;
  static final double LN2_F64 = 0.6931471805599453;
  /** 1/14!, 1/13!, ..., 1/2!, 1, 1. */
  static final double[] EXP_F64 = {1.1470745597729725e-11, 1.6059043836821613e-10,
      2.08767569878681e-09, 2.505210838544172e-08, 2.755731922398589e-07,
      2.7557319223985893e-06, 2.48015873015873e-05, 0.0001984126984126984, 0.001388888888888889,
      0.008333333333333333, 0.041666666666666664, 0.16666666666666666, 0.5, 1.0, 1.0};

  // ---------------------------------------------------------------------------- tanh

  /** Below this |x| tanh uses the odd polynomial, above it 1 - 2 / (e^(2|x|) + 1). */
  static final float TANH_SWITCH_F32 = 0.75f;
  static final double TANH_SWITCH_F64 = 0.75;
  static final float[] TANH_F32 = {0.0019095024f, -0.007933808f, 0.021615319f, -0.053935852f,
      0.13333179f, -0.3333333f};
  static final double[] TANH_F64 = {-1.6408599646831444e-06, 1.0048053928129499e-05,
      -3.449472469998217e-05, 9.42476297649358e-05, -0.00023809406936979282,
      0.0005897469986953327, -0.0014557818253310693, 0.0035921213885060418,
      -0.008863234987439102, 0.021869488509711037, -0.05396825396758208, 0.13333333333332661,
      -0.3333333333333333};

  // ---------------------------------------------------------------------------- log1p

  static final float[] LOG1P_F32 = {0.23747344f, 0.28532743f, 0.4000031f, 0.6666667f};
  static final double[] LOG1P_F64 = {0.13604015707124079, 0.1321036048513262,
      0.15388834677801916, 0.18181738454723026, 0.22222223037807243, 0.2857142856733919,
      0.400000000000078, 0.6666666666666666};
}
