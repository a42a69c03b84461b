package org.tca.rules.optim;

/**
 * Step decay {@code eta(t) = eta0 * gamma^floor(t / every)}: the rate is multiplied by
 * {@code gamma} at iterations {@code every, 2 every, ...}. The power is
 * {@link Powers#integerPower}, so the rates are bit-identical on every platform.
 *
 * @param eta0 the initial rate, finite and {@code >= 0}
 * @param gamma the factor per decay step, finite and {@code > 0}
 * @param every the decay period in iterations, {@code >= 1}
 */
public record StepDecay(double eta0, double gamma, long every) implements LearningRateSchedule {

  /** Validates the arguments. */
  public StepDecay {
    LearningRateSchedule.checkRate("learning rate", eta0);
    if (!(gamma > 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("decay factor gamma must be finite and > 0, got " + gamma);
    }
    if (every < 1) {
      throw new IllegalArgumentException("decay period must be >= 1 iteration, got " + every);
    }
  }

  @Override
  public double rate(long t) {
    checkIteration(t);
    return eta0 * Powers.integerPower(gamma, t / every);
  }

  static void checkIteration(long t) {
    if (t < 0) {
      throw new IllegalArgumentException("iteration must be >= 0, got " + t);
    }
  }

  @Override
  public String toString() {
    return "stepDecay(" + eta0 + ", gamma=" + gamma + ", every=" + every + ")";
  }
}
