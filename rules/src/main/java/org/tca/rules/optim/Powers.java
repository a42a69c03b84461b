package org.tca.rules.optim;

/**
 * Integer powers {@code x^k} by binary exponentiation (square-and-multiply over the bits of k,
 * least significant first). A fixed sequence of IEEE multiplications, so the result is
 * bit-identical on every platform and nothing is allocated ({@code StrictMath.pow} allocates
 * on every call in JDK 25). The computed value is {@code x^k prod_i (1 + delta_i)^(m_i)} with
 * {@code |delta_i| <= u = 2^-53} and {@code sum_i m_i <= k - 1} (each rounding is raised to the
 * power of the leaves below it), so the relative error is at most
 * {@code gamma_{k-1} = (k-1) u / (1 - (k-1) u)} for results that neither overflow nor underflow
 * (about 1e-13 at k = 1000: harmless for bias corrections and decay factors).
 */
public final class Powers {

  private Powers() {}

  /**
   * {@code x^k} for {@code k >= 0} ({@code x^0 = 1}).
   *
   * @throws IllegalArgumentException if k < 0
   */
  public static double integerPower(double x, long k) {
    if (k < 0) {
      throw new IllegalArgumentException("exponent must be >= 0, got " + k);
    }
    double result = 1;
    double base = x;
    long e = k;
    while (e != 0) {
      if ((e & 1) != 0) {
        result *= base;
      }
      e >>>= 1;
      if (e != 0) {
        base *= base;
      }
    }
    return result;
  }
}
