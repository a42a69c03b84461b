package org.tca.rules.optim;

import java.util.List;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * Plain stochastic gradient descent, the paper's optimizer:
 *
 * <pre>
 *   p_i <- p_i - eta * s * g_i,   i in S.
 * </pre>
 *
 * In f64 the factor {@code a = fl(eta * s)} is rounded once and each element takes one multiply
 * and one subtract. Stateless apart from the step count. An f64 twin, {@code DoubleSgd}, is
 * generated from this file.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleSgd implements DoubleOptimizer {

  /** The element update p_i - a g_i (vectorized, rounded as the scalar expression). */
  private static final DoubleKernels K = Kernels.f64();

  private final int size;
  private final TrainableRanges ranges;
  private long steps;
  private double a; // fl(eta * s) of the step begun

  /** SGD over {@code ranges} of a vector of {@code size} elements. */
  public DoubleSgd(int size, TrainableRanges ranges) {
    this.ranges = DoubleOptimizer.checkShape(size, ranges);
    this.size = size;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public TrainableRanges ranges() {
    return ranges;
  }

  @Override
  public void beginStep(double gradientScale, double learningRate) {
    a = (double) (learningRate * gradientScale);
  }

  /** The factor a = fl(eta * s) of the step begun: {@link #applyRange} takes p_i - a g_i. */
  public double factor() {
    return a;
  }

  @Override
  public void applyRange(double[] params, int from, int to, double[] gradient, int shift) {
    K.subtractScaled(to - from, a, gradient, from + shift, params, from);
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
    steps = 0;
  }

  @Override
  public DoubleOptimizerState state() {
    return new DoubleOptimizerState("sgd", Map.of(), Map.of("steps", steps));
  }

  @Override
  public void restore(DoubleOptimizerState saved) {
    saved.require("sgd", size, List.of(), List.of("steps"));
    steps = saved.counter("steps");
  }

  @Override
  public String toString() {
    return "sgd";
  }
}
