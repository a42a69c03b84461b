package org.tca.rules.optim;

import java.util.Objects;

/**
 * One training update around an optimizer: schedule, optional global-norm clipping and the
 * iteration count. At iteration {@code t = 0, 1, ...}, {@link #step} computes
 *
 * <pre>
 *   n   = ||g||_2 over the trainable ranges S           (accumulated in f64)
 *   s   = c / n if n > c, else 1                          (c = clip norm; no clipping: c = inf)
 *   eta = schedule.rate(t)
 * </pre>
 *
 * and applies {@code optimizer.step(p, g, s, eta)}, i.e. descends along {@code s * g}, the
 * gradient rescaled to norm at most {@code c}. A non-finite norm (NaN/Inf in the gradient) is
 * not clipped ({@code s = 1}) so the non-finite values reach the parameters and the trainer's
 * divergence check sees them. The gradient array is never modified. An f64 twin,
 * {@code DoubleUpdater}, is generated from this file. Mutable, not thread-safe, allocation-free.
 */
public final class DoubleUpdater {

  private final DoubleOptimizer optimizer;
  private final LearningRateSchedule schedule;
  private final double clipNorm;
  private long iteration;
  private double lastNorm = Double.NaN;
  private double lastScale = 1;
  private double lastRate = Double.NaN;

  /**
   * @param clipNorm c, {@code > 0}; {@link Double#POSITIVE_INFINITY} disables clipping
   */
  public DoubleUpdater(DoubleOptimizer optimizer, LearningRateSchedule schedule, double clipNorm) {
    this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    this.schedule = Objects.requireNonNull(schedule, "schedule");
    if (!(clipNorm > 0)) {
      throw new IllegalArgumentException("clip norm must be > 0 (or infinite: off), got "
          + clipNorm);
    }
    this.clipNorm = clipNorm;
  }

  /** No clipping. */
  public DoubleUpdater(DoubleOptimizer optimizer, LearningRateSchedule schedule) {
    this(optimizer, schedule, Double.POSITIVE_INFINITY);
  }

  /**
   * Applies iteration {@link #iteration()} to {@code params} and advances the count.
   *
   * @return the learning rate used
   */
  public double step(double[] params, double[] gradient) {
    double eta = schedule.rate(iteration);
    double norm = norm(gradient, optimizer.ranges());
    double scale = Double.isFinite(norm) && norm > clipNorm ? clipNorm / norm : 1.0;
    optimizer.step(params, gradient, scale, eta);
    lastNorm = norm;
    lastScale = scale;
    lastRate = eta;
    iteration++;
    return eta;
  }

  /**
   * {@code sqrt(sum_{i in S} g_i^2)}, accumulated in double precision whatever the vector's
   * precision (relative forward error at most about {@code (|S| + 2) * 2^-53}).
   */
  public static double norm(double[] gradient, TrainableRanges ranges) {
    ranges.checkWithin(gradient.length);
    double ss = 0;
    for (int k = 0; k < ranges.count(); k++) {
      int end = ranges.offset(k) + ranges.length(k);
      for (int i = ranges.offset(k); i < end; i++) {
        double g = gradient[i];
        ss += g * g;
      }
    }
    return Math.sqrt(ss);
  }

  /** The number of steps taken: the iteration the next {@link #step} will run. */
  public long iteration() {
    return iteration;
  }

  /** Sets the iteration count (e.g. when resuming); the optimizer's state is not touched. */
  public void setIteration(long iteration) {
    if (iteration < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
    }
    this.iteration = iteration;
  }

  /** The gradient norm over S of the last step (NaN before the first). */
  public double lastGradientNorm() {
    return lastNorm;
  }

  /** The clipping scale s of the last step (1 when not clipped). */
  public double lastClipScale() {
    return lastScale;
  }

  /** The learning rate of the last step (NaN before the first). */
  public double lastLearningRate() {
    return lastRate;
  }

  /** The clip norm c (infinite when clipping is off). */
  public double clipNorm() {
    return clipNorm;
  }

  /** The wrapped optimizer. */
  public DoubleOptimizer optimizer() {
    return optimizer;
  }

  /** The schedule. */
  public LearningRateSchedule schedule() {
    return schedule;
  }
}
