package org.tca.study;

import org.tca.numerics.random.RandomStream;
import org.tca.numerics.stats.Bootstrap;
import org.tca.numerics.stats.BootstrapInterval;
import org.tca.numerics.stats.Descriptive;

/**
 * A sample's mean with its spread: n, the mean, the sd (divisor n - 1) and the 95%
 * percentile-bootstrap interval [ciLo, ciHi] of the mean ({@value #RESAMPLES} resamples, stream
 * seeded {@value #BOOTSTRAP_SEED}); NaN where undefined (no values; sd with fewer than 2).
 *
 * @param n the sample size
 * @param mean the sample mean
 * @param sd the sample standard deviation
 * @param ciLo the lower end of the interval
 * @param ciHi the upper end of the interval
 */
public record MeanEstimate(int n, double mean, double sd, double ciLo, double ciHi) {

  /** Bootstrap resamples. */
  public static final int RESAMPLES = 2000;
  /** Seed of the bootstrap stream. */
  public static final long BOOTSTRAP_SEED = 20220601L;
  /** Confidence level. */
  public static final double LEVEL = 0.95;

  /** The estimate of sample {@code x}. */
  public static MeanEstimate of(double[] x) {
    double mean = x.length == 0 ? Double.NaN : Descriptive.mean(x);
    double sd = x.length < 2 ? Double.NaN : Descriptive.standardDeviation(x);
    if (x.length == 0) {
      return new MeanEstimate(0, mean, sd, Double.NaN, Double.NaN);
    }
    BootstrapInterval ci = Bootstrap.percentileMean(x, RESAMPLES, LEVEL,
        new RandomStream(BOOTSTRAP_SEED));
    return new MeanEstimate(x.length, mean, sd, ci.lo(), ci.hi());
  }
}
