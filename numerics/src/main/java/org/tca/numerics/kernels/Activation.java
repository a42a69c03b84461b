package org.tca.numerics.kernels;

/**
 * Elementwise activation functions f and their derivatives f', in double precision.
 *
 * <p>These double-precision definitions are the reference the kernels are tested against and
 * what the scalar kernels evaluate (rounded to the storage precision).
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
      case TANH -> Math.tanh(x);
      case SOFTPLUS -> x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
      case SIGMOID -> sigmoid(x);
    };
  }

  /** f'(x) in double precision. */
  public double derivative(double x) {
    return switch (this) {
      case IDENTITY -> 1.0;
      case RELU -> x > 0 ? 1.0 : 0.0;
      case TANH -> {
        double t = Math.tanh(x);
        yield 1.0 - t * t;
      }
      case SOFTPLUS -> sigmoid(x);
      case SIGMOID -> {
        double s = sigmoid(x);
        yield s * (1.0 - s);
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
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }
}
