package org.tca.rules.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * SGD with (heavy-ball or Nesterov) momentum, in PyTorch's convention (no dampening):
 *
 * <pre>
 *   b_i <- mu * b_i + s * g_i                              (b = 0 before the first step)
 *   p_i <- p_i - eta * b_i                                 (heavy ball)
 *   p_i <- p_i - eta * (s * g_i + mu * b_i)                (Nesterov)
 * </pre>
 *
 * for {@code i in S}. The velocity {@code b} is sized once for the whole vector. An f64 twin,
 * {@code DoubleMomentum}, is generated from this file.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleMomentum implements DoubleOptimizer {

  /** The element update (vectorized, rounded as the scalar expressions above). */
  private static final DoubleKernels K = Kernels.f64();

  private final int size;
  private final TrainableRanges ranges;
  private final double momentum;
  private final boolean nesterov;
  private final double[] velocity;
  private long steps;
  private double s; // gradient scale and learning rate of the step begun
  private double eta;

  /**
   * @param momentum mu in [0, 1)
   * @param nesterov whether to take Nesterov's look-ahead step
   */
  public DoubleMomentum(int size, TrainableRanges ranges, double momentum, boolean nesterov) {
    this.ranges = DoubleOptimizer.checkShape(size, ranges);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    this.size = size;
    this.momentum = (double) momentum;
    this.nesterov = nesterov;
    this.velocity = new double[size];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public TrainableRanges ranges() {
    return ranges;
  }

  /** mu. */
  public double momentum() {
    return momentum;
  }

  /** Whether the step is Nesterov's. */
  public boolean nesterov() {
    return nesterov;
  }

  @Override
  public void beginStep(double gradientScale, double learningRate) {
    s = (double) gradientScale;
    eta = (double) learningRate;
  }

  @Override
  public void applyRange(double[] params, int from, int to, double[] gradient, int shift) {
    K.momentum(to - from, s, momentum, eta, nesterov, gradient, from + shift, velocity, params,
        from);
  }

  @Override
  public void endStep() {
    steps++;
  }

  @Override
  public long steps() {
    return steps;
  }

  @Override
  public void reset() {
    Arrays.fill(velocity, 0d);
    steps = 0;
  }

  @Override
  public DoubleOptimizerState state() {
    return new DoubleOptimizerState(kind(), Map.of("velocity", velocity), Map.of("steps", steps));
  }

  @Override
  public void restore(DoubleOptimizerState saved) {
    saved.require(kind(), size, List.of("velocity"), List.of("steps"));
    saved.copyInto("velocity", velocity);
    steps = saved.counter("steps");
  }

  private String kind() {
    return nesterov ? "nesterov" : "momentum";
  }

  @Override
  public String toString() {
    return (nesterov ? "nesterov(" : "momentum(") + momentum + ")";
  }
}
