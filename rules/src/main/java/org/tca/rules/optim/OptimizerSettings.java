package org.tca.rules.optim;

import java.util.Locale;

/**
 * What the command line says about the optimizer: its kind and hyper-parameters. Build the
 * optimizer with {@code FloatOptimizers.create} (or its f64 twin {@code DoubleOptimizers}).
 *
 * <ul>
 *   <li>{@code sgd}: {@code p <- p - eta g};
 *   <li>{@code momentum}: heavy ball with {@code momentum} mu; {@code nesterov}: Nesterov's step;
 *   <li>{@code adam}: Adam with {@code beta1}, {@code beta2}, {@code eps}.
 * </ul>
 *
 * @param kind one of {@code sgd, momentum, nesterov, adam}
 * @param momentum mu for momentum/nesterov, in [0, 1)
 * @param beta1 Adam's first-moment decay, in [0, 1)
 * @param beta2 Adam's second-moment decay, in [0, 1)
 * @param eps Adam's denominator guard, {@code > 0}
 */
public record OptimizerSettings(String kind, double momentum, double beta1, double beta2,
    double eps) {

  /** The kinds {@link #kind} may take. */
  public static final String[] KINDS = {"sgd", "momentum", "nesterov", "adam"};

  /** Default momentum mu = 0.9. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  /** Validates and normalises the kind to lower case. */
  public OptimizerSettings {
    kind = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT);
    boolean known = false;
    for (String k : KINDS) {
      known |= k.equals(kind);
    }
    if (!known) {
      throw new IllegalArgumentException("unknown optimizer '" + kind
          + "'; expected one of sgd, momentum, nesterov, adam");
    }
    check("momentum", momentum, 0, 1);
    check("beta1", beta1, 0, 1);
    check("beta2", beta2, 0, 1);
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
    }
  }

  /** {@code kind} with default hyper-parameters (mu 0.9; Adam 0.9, 0.999, 1e-8). */
  public static OptimizerSettings of(String kind) {
    return new OptimizerSettings(kind, DEFAULT_MOMENTUM, FloatAdam.DEFAULT_BETA1,
        FloatAdam.DEFAULT_BETA2, FloatAdam.DEFAULT_EPS);
  }

  /** Plain SGD, the paper's optimizer. */
  public static OptimizerSettings sgd() {
    return of("sgd");
  }

  private static void check(String name, double value, double lo, double hiExclusive) {
    if (!(value >= lo && value < hiExclusive)) {
      throw new IllegalArgumentException(
          name + " must be in [" + lo + ", " + hiExclusive + "), got " + value);
    }
  }
}
