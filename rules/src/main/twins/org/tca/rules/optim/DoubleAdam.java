package org.tca.rules.optim;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;

/**
 * Adam (Kingma and Ba 2015) with bias correction, in PyTorch's arrangement. At step
 * {@code k = 1, 2, ...}, with {@code h_i = s * g_i}:
 *
 * <pre>
 *   m_i <- beta1 * m_i + (1 - beta1) * h_i
 *   v_i <- beta2 * v_i + (1 - beta2) * h_i^2
 *   p_i <- p_i - (eta / (1 - beta1^k)) * m_i / (sqrt(v_i) / sqrt(1 - beta2^k) + eps)
 * </pre>
 *
 * for {@code i in S} ({@code m = v = 0} before the first step). This equals the textbook
 * {@code eta * mhat / (sqrt(vhat) + eps)} with {@code mhat = m / (1 - beta1^k)},
 * {@code vhat = v / (1 - beta2^k)}. The bias-correction factors are computed in f64 once per
 * step ({@code beta^k} by {@link Powers#integerPower}: bit-reproducible, allocation-free), the
 * element updates in the vector's precision. An f64 twin, {@code DoubleAdam}, is
 * generated from this file.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleAdam implements DoubleOptimizer {

  /** The usual defaults. */
  public static final double DEFAULT_BETA1 = 0.9;
  /** The usual defaults. */
  public static final double DEFAULT_BETA2 = 0.999;
  /** The usual defaults. */
  public static final double DEFAULT_EPS = 1e-8;

  /** The element update (vectorized; the same bits as the scalar loop it documents). */
  private static final DoubleKernels K = Kernels.f64();

  private final int size;
  private final TrainableRanges ranges;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double[] m;
  private final double[] v;
  private long steps;
  private double stepSize; // of the step begun: eta / (1 - beta1^k), 1 / sqrt(1 - beta2^k), s
  private double invSqrtBc2;
  private double s;

  /**
   * @param beta1 first-moment decay in [0, 1)
   * @param beta2 second-moment decay in [0, 1)
   * @param eps denominator guard, finite and {@code > 0}
   */
  public DoubleAdam(int size, TrainableRanges ranges, double beta1, double beta2, double eps) {
    this.ranges = DoubleOptimizer.checkShape(size, ranges);
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("Adam beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam beta2 must be in [0, 1), got " + beta2);
    }
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("Adam eps must be finite and > 0, got " + eps);
    }
    this.size = size;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.m = new double[size];
    this.v = new double[size];
  }

  /** Adam with beta1 = 0.9, beta2 = 0.999, eps = 1e-8. */
  public DoubleAdam(int size, TrainableRanges ranges) {
    this(size, ranges, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public TrainableRanges ranges() {
    return ranges;
  }

  /** beta1. */
  public double beta1() {
    return beta1;
  }

  /** beta2. */
  public double beta2() {
    return beta2;
  }

  /** eps. */
  public double eps() {
    return eps;
  }

  @Override
  public void beginStep(double gradientScale, double learningRate) {
    long k = steps + 1;
    double bc1 = 1 - Powers.integerPower(beta1, k);
    double bc2 = 1 - Powers.integerPower(beta2, k);
    stepSize = (double) (learningRate / bc1);
    invSqrtBc2 = (double) (1 / Math.sqrt(bc2));
    s = (double) gradientScale;
  }

  @Override
  public void applyRange(double[] params, int from, int to, double[] gradient, int shift) {
    double b1 = (double) beta1;
    double b2 = (double) beta2;
    double c1 = (double) (1 - beta1);
    double c2 = (double) (1 - beta2);
    double e = (double) eps;
    K.adam(to - from, s, b1, c1, b2, c2, stepSize, invSqrtBc2, e, gradient, from + shift, m, v,
        params, from);
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
    Arrays.fill(m, 0d);
    Arrays.fill(v, 0d);
    steps = 0;
  }

  @Override
  public DoubleOptimizerState state() {
    Map<String, double[]> arrays = new LinkedHashMap<>();
    arrays.put("m", m);
    arrays.put("v", v);
    return new DoubleOptimizerState("adam", arrays, Map.of("steps", steps));
  }

  @Override
  public void restore(DoubleOptimizerState saved) {
    saved.require("adam", size, List.of("m", "v"), List.of("steps"));
    saved.copyInto("m", m);
    saved.copyInto("v", v);
    steps = saved.counter("steps");
  }

  @Override
  public String toString() {
    return "adam(beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps + ")";
  }
}
