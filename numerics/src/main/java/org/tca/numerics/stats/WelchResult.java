package org.tca.numerics.stats;

/**
 * Welch's two-sample t-test of H0: mean(a) = mean(b), without assuming equal variances:
 *
 * <pre>
 *   v_a = s_a^2 / n_a,  v_b = s_b^2 / n_b                 (sample variances, divisor n - 1)
 *   t   = (mean(a) - mean(b)) / sqrt(v_a + v_b)
 *   df  = (v_a + v_b)^2 / (v_a^2 / (n_a - 1) + v_b^2 / (n_b - 1))     (Welch-Satterthwaite)
 *   p   = P(|T_df| &gt;= |t|)
 * </pre>
 *
 * @param t the statistic (positive when mean(a) &gt; mean(b)); NaN when undefined
 * @param df the Welch-Satterthwaite degrees of freedom; NaN when undefined
 * @param p the two-sided p-value; NaN when undefined
 */
public record WelchResult(double t, double df, double p) {

  /** The result of a test that cannot be made. */
  public static final WelchResult UNDEFINED = new WelchResult(Double.NaN, Double.NaN, Double.NaN);

  /**
   * The test of mean(a) - mean(b); {@link #UNDEFINED} when either sample has fewer than 2 values
   * or both variances are 0.
   */
  public static WelchResult test(double[] a, double[] b) {
    if (a.length < 2 || b.length < 2) {
      return UNDEFINED;
    }
    double va = Descriptive.variance(a) / a.length;
    double vb = Descriptive.variance(b) / b.length;
    double se2 = va + vb;
    if (!(se2 > 0)) {
      return UNDEFINED;
    }
    double t = (Descriptive.mean(a) - Descriptive.mean(b)) / Math.sqrt(se2);
    double df = se2 * se2 / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
    return new WelchResult(t, df, Distributions.studentTTwoSidedP(t, df));
  }
}
