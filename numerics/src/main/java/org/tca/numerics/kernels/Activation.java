package org.tca.numerics.kernels;

/**
 * Elementwise activation functions f and their derivatives f', in double precision.
 *
 * <p>These double-precision definitions are the reference the kernels are tested against and
 * what the scalar kernels evaluate for the smooth activations (rounded to the storage
 * precision). They use {@link StrictMath}, so results are the same bits on every JVM, platform
 * and execution mode (interpreted or compiled): a training run is reproducible from its seed.
 * (The vector kernels evaluate tanh, softplus, sigmoid and their derivatives with their own
 * polynomial approximations, also bit-reproducible and within a few ulps of these.) tanh' is
 * computed as 4 e / (1 + e)^2 with e = exp(-2|x|) and sigmoid' as e / (1 + e)^2 with
 * e = exp(-|x|), accurate where 1 - tanh^2 and s (1 - s) would cancel.
 *
 * <ul>
 *   <li>{@link #IDENTITY}: f(x) = x, f'(x) = 1</li>
 *   <li>{@link #RELU}: f(x) = max(0, x) (NaN stays NaN, so a diverged state is never hidden),
 *       f'(x) = 1 if x &gt; 0 else 0 (f'(0) = f'(NaN) = 0, as in PyTorch)</li>
 *   <li>{@link #TANH}: f(x) = tanh(x), f'(x) = 1 - tanh(x)^2</li>
 *   <li>{@link #SOFTPLUS}: f(x) = log(1 + e^x), f'(x) = sigmoid(x)</li>
 *   <li>{@link #SIGMOID}: f(x) = 1 / (1 + e^-x), f'(x) = sigmoid(x) (1 - sigmoid(x))</li>
 * </ul>
 */
public enum Activation {
  IDENTITY,
  RELU,
  TANH,
  SOFTPLUS,
  SIGMOID;

  /** f(x) in double precision. */
  public double apply(double x) {
    return switch (this) {
      case IDENTITY -> x;
      case RELU -> x > 0 || Double.isNaN(x) ? x : 0.0;
      case TANH -> StrictMath.tanh(x);
      case SOFTPLUS -> x > 0 ? x + StrictMath.log1p(StrictMath.exp(-x))
          : StrictMath.log1p(StrictMath.exp(x));
      case SIGMOID -> sigmoid(x);
    };
  }

  /** f'(x) in double precision. */
  public double derivative(double x) {
    return switch (this) {
      case IDENTITY -> 1.0;
      case RELU -> x > 0 ? 1.0 : 0.0;
      case TANH -> {
        double e = StrictMath.exp(-2.0 * Math.abs(x));
        double d = 1.0 + e;
        yield Double.isNaN(x) ? x : 4.0 * e / (d * d);
      }
      case SOFTPLUS -> sigmoid(x);
      case SIGMOID -> {
        double e = StrictMath.exp(-Math.abs(x)); // sigmoid' = e / (1 + e)^2, no cancellation
        double d = 1.0 + e;
        yield e / (d * d);
      }
    };
  }

  /** The lower-case name used on command lines and in files ("relu", "tanh", ...). */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@link #id()}; throws IllegalArgumentException naming the valid choices. */
  public static Activation parse(String id) {
    for (Activation a : values()) {
      if (a.id().equals(id)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + id + "' (expected one of identity, relu, tanh, softplus, sigmoid)");
  }

  private static double sigmoid(double x) {
    if (x >= 0) {
      return 1.0 / (1.0 + StrictMath.exp(-x));
    }
    double e = StrictMath.exp(x);
    return e / (1.0 + e);
  }
}
