package org.tca.numerics.stats;

/**
 * A bootstrap percentile confidence interval [lo, hi] for a statistic.
 *
 * @param estimate the statistic of the original sample
 * @param lo the (1 - level) / 2 type-7 quantile of the resampled statistics
 * @param hi the (1 + level) / 2 type-7 quantile of the resampled statistics
 * @param level the nominal coverage, e.g. 0.95
 * @param resamples the number B of bootstrap resamples
 */
public record BootstrapInterval(double estimate, double lo, double hi, double level,
    int resamples) {

  /** hi - lo. */
  public double width() {
    return hi - lo;
  }

  /** True when lo <= value <= hi. */
  public boolean contains(double value) {
    return lo <= value && value <= hi;
  }
}
