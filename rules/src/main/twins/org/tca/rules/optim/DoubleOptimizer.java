package org.tca.rules.optim;

/**
 * An optimizer over a flat f64 parameter vector: one call applies one step
 *
 * <pre>
 *   p_i <- p_i - eta * u_i(s * g),   i in S (the trainable ranges), p_i untouched elsewhere,
 * </pre>
 *
 * where {@code g} is the learning rule's update direction (a gradient estimate; the optimizer
 * descends along it), {@code s} a scale applied to it first (gradient-norm clipping uses it; 1
 * otherwise), {@code eta} the learning rate of this step, and {@code u} the optimizer's
 * transformation with its state (identity for SGD, a velocity for momentum, moment estimates
 * for Adam). An f64 twin, {@code DoubleOptimizer}, is generated from this file.
 *
 * <p>State arrays are sized once, at construction, for the whole vector; a step allocates
 * nothing. Instances are mutable and not thread-safe. See {@link DoubleUpdater} for the schedule,
 * clipping and iteration count around it.
 */
public interface DoubleOptimizer {

  /** Length of the parameter vector this optimizer's state was sized for. */
  int size();

  /** The elements this optimizer updates. */
  TrainableRanges ranges();

  /**
   * One step on {@code params} from the direction {@code gradient} (both of length
   * {@link #size()}; neither read nor written outside {@link #ranges()}).
   *
   * @param gradientScale s, multiplies the gradient before anything else (finite)
   * @param learningRate eta (finite, {@code >= 0})
   */
  void step(double[] params, double[] gradient, double gradientScale, double learningRate);

  /** Number of steps taken since construction or {@link #reset()}. */
  long steps();

  /** Zeroes the state (velocities, moments, step count), as if newly constructed. */
  void reset();

  /** A copy of the mutable state (velocities, moments, step count) as plain data. */
  DoubleOptimizerState state();

  /**
   * Overwrites the mutable state with {@code saved}, from {@link #state()} of an optimizer of the
   * same kind and size; the next steps are then those the saved optimizer would have taken.
   *
   * @throws IllegalArgumentException when {@code saved} is of another kind or size (nothing is
   *     changed then)
   */
  void restore(DoubleOptimizerState saved);

  /** Checks the arguments of {@link #step}; for implementations. */
  static void checkStep(DoubleOptimizer o, double[] params, double[] gradient, double gradientScale,
      double learningRate) {
    if (params.length != o.size() || gradient.length != o.size()) {
      throw new IllegalArgumentException("optimizer sized for " + o.size()
          + " parameters, got params[" + params.length + "] and gradient[" + gradient.length + "]");
    }
    if (!Double.isFinite(gradientScale)) {
      throw new IllegalArgumentException("gradient scale must be finite, got " + gradientScale);
    }
    LearningRateSchedule.checkRate("learning rate", learningRate);
  }

  /** Validates size against ranges; for implementations. */
  static TrainableRanges checkShape(int size, TrainableRanges ranges) {
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0, got " + size);
    }
    ranges.checkWithin(size);
    return ranges;
  }
}
