package org.tca.rules.optim;

/**
 * Builds the {@link FloatOptimizer} an {@link OptimizerSettings} names (see there for the
 * update equations). An f64 twin, {@code DoubleOptimizers}, is generated from this file.
 */
public final class FloatOptimizers {

  private FloatOptimizers() {}

  /** A fresh optimizer for a vector of {@code size} elements, updating {@code ranges}. */
  public static FloatOptimizer create(OptimizerSettings settings, int size,
      TrainableRanges ranges) {
    return switch (settings.kind()) {
      case "sgd" -> new FloatSgd(size, ranges);
      case "momentum" -> new FloatMomentum(size, ranges, settings.momentum(), false);
      case "nesterov" -> new FloatMomentum(size, ranges, settings.momentum(), true);
      case "adam" -> new FloatAdam(size, ranges, settings.beta1(), settings.beta2(),
          settings.eps());
      default -> throw new IllegalArgumentException("unknown optimizer " + settings.kind());
    };
  }
}
