package org.tca.rules.optim;

/**
 * Builds the {@link DoubleOptimizer} an {@link OptimizerSettings} names (see there for the
 * update equations). An f64 twin, {@code DoubleOptimizers}, is generated from this file.
 */
public final class DoubleOptimizers {

  private DoubleOptimizers() {}

  /** A fresh optimizer for a vector of {@code size} elements, updating {@code ranges}. */
  public static DoubleOptimizer create(OptimizerSettings settings, int size,
      TrainableRanges ranges) {
    return switch (settings.kind()) {
      case "sgd" -> new DoubleSgd(size, ranges);
      case "momentum" -> new DoubleMomentum(size, ranges, settings.momentum(), false);
      case "nesterov" -> new DoubleMomentum(size, ranges, settings.momentum(), true);
      case "adam" -> new DoubleAdam(size, ranges, settings.beta1(), settings.beta2(),
          settings.eps());
      default -> throw new IllegalArgumentException("unknown optimizer " + settings.kind());
    };
  }
}
