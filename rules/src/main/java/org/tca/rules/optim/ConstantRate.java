package org.tca.rules.optim;

/**
 * The constant schedule {@code eta(t) = eta0}.
 *
 * @param eta0 the learning rate, finite and {@code >= 0}
 */
public record ConstantRate(double eta0) implements LearningRateSchedule {

  /** Validates the rate. */
  public ConstantRate {
    LearningRateSchedule.checkRate("learning rate", eta0);
  }

  @Override
  public double rate(long t) {
    return eta0;
  }

  @Override
  public String toString() {
    return "constant(" + eta0 + ")";
  }
}
