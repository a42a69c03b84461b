package org.tca.numerics.stats;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.tca.numerics.random.RandomStream;

/**
 * Nonparametric bootstrap percentile confidence intervals (Efron and Tibshirani 1993, 13.3).
 *
 * <p>For b = 0..B-1, resample b draws n indices i_1..i_n uniformly with replacement from
 * {@code stream.child(b)} (via {@link RandomStream#nextInt(int)}) and computes theta*_b =
 * statistic(x_{i_1}, ..., x_{i_n}). The interval is [Q7(theta*, (1 - level) / 2),
 * Q7(theta*, (1 + level) / 2)], with Q7 the type-7 quantile of {@link Descriptive}. The
 * estimate is the statistic of the original sample.
 *
 * <p>Reproducibility: the result is a fixed function of (data, statistic, B, level, the
 * stream's identity); the given stream is not advanced (resample b uses its child b, so the
 * resamples could be computed in any order or in parallel). If any theta*_b is NaN the
 * interval is [NaN, NaN].
 */
public final class Bootstrap {

  private Bootstrap() {}

  /** Percentile interval of the mean. */
  public static BootstrapInterval percentileMean(double[] data, int resamples, double level,
      RandomStream stream) {
    return percentile(data, Descriptive::mean, resamples, level, stream);
  }

  /**
   * Percentile interval of {@code statistic}. The statistic receives a scratch array of length n
   * that it may reorder (e.g. sort) but must not keep; it is called once on a copy of the
   * data and once per resample.
   *
   * @throws IllegalArgumentException for empty data, resamples < 1 or level outside (0, 1)
   */
  public static BootstrapInterval percentile(double[] data, ToDoubleFunction<double[]> statistic,
      int resamples, double level, RandomStream stream) {
    Objects.requireNonNull(statistic, "statistic");
    Objects.requireNonNull(stream, "stream");
    int n = data.length;
    if (n == 0) {
      throw new IllegalArgumentException("empty sample");
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("resamples must be >= 1: " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1): " + level);
    }
    double estimate = statistic.applyAsDouble(data.clone());
    double[] scratch = new double[n];
    double[] thetas = new double[resamples];
    RandomStream draw = new RandomStream(0);
    for (int b = 0; b < resamples; b++) {
      draw.setToChild(stream, b);
      for (int i = 0; i < n; i++) {
        scratch[i] = data[draw.nextInt(n)];
      }
      thetas[b] = statistic.applyAsDouble(scratch);
    }
    if (Descriptive.hasNaN(thetas)) {
      return new BootstrapInterval(estimate, Double.NaN, Double.NaN, level, resamples);
    }
    Arrays.sort(thetas);
    double lo = Descriptive.quantileOfSorted(thetas, (1 - level) / 2);
    double hi = Descriptive.quantileOfSorted(thetas, (1 + level) / 2);
    return new BootstrapInterval(estimate, lo, hi, level, resamples);
  }
}
