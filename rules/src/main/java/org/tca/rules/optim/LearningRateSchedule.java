package org.tca.rules.optim;

/**
 * A learning rate as a function of the iteration number {@code t = 0, 1, 2, ...} (the number of
 * optimizer steps taken before the current one).
 *
 * <p>Building blocks, composable by chaining:
 *
 * <ul>
 *   <li>{@link #constant}: {@code eta(t) = eta0};
 *   <li>{@link #stepDecay}: {@code eta(t) = eta0 * gamma^floor(t / s)};
 *   <li>{@link #multipliedFrom}: {@code eta'(t) = eta(t) * (t >= i ? m : 1)}, the remedy
 *       experiments' late-phase boost (or cut), e.g.
 *       {@code LearningRateSchedule.constant(1e-2).multipliedFrom(8000, 3.0)}.
 * </ul>
 *
 * Implementations are immutable, allocation-free and thread-safe.
 */
public interface LearningRateSchedule {

  /** The learning rate for iteration {@code t >= 0}. */
  double rate(long t);

  /** This schedule multiplied by {@code factor} from iteration {@code from} on (inclusive). */
  default LearningRateSchedule multipliedFrom(long from, double factor) {
    return new MultiplyFrom(this, from, factor);
  }

  /** {@code eta(t) = eta0}. */
  static LearningRateSchedule constant(double eta0) {
    return new ConstantRate(eta0);
  }

  /** {@code eta(t) = eta0 * gamma^floor(t / every)}. */
  static LearningRateSchedule stepDecay(double eta0, double gamma, long every) {
    return new StepDecay(eta0, gamma, every);
  }

  /** Checks a rate is finite and non-negative. */
  static double checkRate(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
    return value;
  }
}
