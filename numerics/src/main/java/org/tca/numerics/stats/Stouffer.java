package org.tca.numerics.stats;

/**
 * Stouffer's combination of independent one-sided tests of the same directional hypothesis:
 * with one-sided p-values p_1..p_m, z_i = Phi^-1(1 - p_i), Z = (sum_i z_i) / sqrt(m), and the
 * combined one-sided p-value is 1 - Phi(Z). Each test counts equally (unweighted).
 */
public final class Stouffer {

  private Stouffer() {}

  /**
   * Z of the class comment.
   *
   * @throws IllegalArgumentException when there is no p-value or one is outside [0, 1]
   */
  public static double z(double[] oneSidedP) {
    if (oneSidedP.length == 0) {
      throw new IllegalArgumentException("Stouffer: at least one p-value is needed");
    }
    double s = 0;
    for (double p : oneSidedP) {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("Stouffer: p-value outside [0, 1]: " + p);
      }
      s -= Distributions.normalQuantile(p); // Phi^-1(1 - p) = -Phi^-1(p)
    }
    return s / Math.sqrt(oneSidedP.length);
  }

  /** The combined one-sided p-value 1 - Phi(Z) = Phi(-Z). */
  public static double p(double[] oneSidedP) {
    return Distributions.normalCdf(-z(oneSidedP));
  }

  /** The one-sided p-value of a Welch test for mean(a) &gt; mean(b): P(T_df &gt;= t). */
  public static double welchGreater(WelchResult w) {
    return Distributions.studentTCdf(-w.t(), w.df());
  }
}
