package org.tca.rules.optim;

/**
 * An optimizer over a flat f32 parameter vector: one call applies one step
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
 * nothing. Instances are mutable and not thread-safe. See {@link FloatUpdater} for the schedule,
 * clipping and iteration count around it.
 */
public interface FloatOptimizer {

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
  default void step(float[] params, float[] gradient, double gradientScale,
      double learningRate) {
    checkStep(this, params, gradient, gradientScale, learningRate);
    beginStep(gradientScale, learningRate);
    TrainableRanges r = ranges();
    for (int k = 0; k < r.count(); k++) {
      applyRange(params, r.offset(k), r.offset(k) + r.length(k), gradient, 0);
    }
    endStep();
  }

  /**
   * Begins one step taken a slice at a time: {@code beginStep(s, eta)}, then {@link #applySlice}
   * (or {@link #applyRange}) over disjoint slices, then {@link #endStep}. Over slices that cover
   * {@link #ranges()} this is bit for bit {@link #step} (which runs exactly this), so a rule can
   * hand its direction over a few rows at a time as it computes them, without writing the whole
   * gradient. Arguments as for {@link #step}, checked by the caller.
   */
  void beginStep(double gradientScale, double learningRate);

  /**
   * The step of {@link #beginStep} on {@code params[from, to)}, which must lie in one range of
   * {@link #ranges()}, with g_i = {@code gradient[i + shift]}. Not checked: for the callers above.
   */
  void applyRange(float[] params, int from, int to, float[] gradient, int shift);

  /**
   * The step of {@link #beginStep} on the trainable elements of {@code params[offset, offset +
   * length)}, with g_i = {@code gradient[gradientOffset + i - offset]} (elements outside
   * {@link #ranges()} are neither read nor written).
   */
  default void applySlice(float[] params, int offset, int length, float[] gradient,
      int gradientOffset) {
    TrainableRanges r = ranges();
    int end = offset + length;
    for (int k = 0; k < r.count(); k++) {
      int from = Math.max(offset, r.offset(k));
      int to = Math.min(end, r.offset(k) + r.length(k));
      if (from < to) {
        applyRange(params, from, to, gradient, gradientOffset - offset);
      }
    }
  }

  /** Ends the step of {@link #beginStep}: counts it. */
  void endStep();

  /** Number of steps taken since construction or {@link #reset()}. */
  long steps();

  /** Zeroes the state (velocities, moments, step count), as if newly constructed. */
  void reset();

  /** A copy of the mutable state (velocities, moments, step count) as plain data. */
  FloatOptimizerState state();

  /**
   * Overwrites the mutable state with {@code saved}, from {@link #state()} of an optimizer of the
   * same kind and size; the next steps are then those the saved optimizer would have taken.
   *
   * @throws IllegalArgumentException when {@code saved} is of another kind or size (nothing is
   *     changed then)
   */
  void restore(FloatOptimizerState saved);

  /** Checks the arguments of {@link #step}; for implementations. */
  static void checkStep(FloatOptimizer o, float[] params, float[] gradient, double gradientScale,
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
