package org.tca.rules.optim;

import java.util.Objects;

/**
 * A schedule multiplied by {@code factor} from iteration {@code from} on:
 * {@code eta'(t) = eta(t) * (t >= from ? factor : 1)}. Used by the remedy experiments (a
 * late-phase learning-rate boost for the bio-plausible rules). Chains compose multiplicatively.
 *
 * @param base the schedule before the change
 * @param from the first iteration with the factor applied, {@code >= 0}
 * @param factor the multiplier, finite and {@code >= 0}
 */
public record MultiplyFrom(LearningRateSchedule base, long from, double factor)
    implements LearningRateSchedule {

  /** Validates the arguments. */
  public MultiplyFrom {
    Objects.requireNonNull(base, "base");
    if (from < 0) {
      throw new IllegalArgumentException("'from' iteration must be >= 0, got " + from);
    }
    LearningRateSchedule.checkRate("learning-rate multiplier", factor);
  }

  @Override
  public double rate(long t) {
    StepDecay.checkIteration(t);
    double r = base.rate(t);
    return t >= from ? r * factor : r;
  }

  @Override
  public String toString() {
    return base + ".multipliedFrom(" + from + ", " + factor + ")";
  }
}
