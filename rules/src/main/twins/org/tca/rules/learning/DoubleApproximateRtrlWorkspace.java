package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.ModelConfig;

/**
 * Scratch of the approximate RTRL rules ({@link DoubleApproximateRtrl}) for one sequence at a
 * time: the two factors of the influence estimate M_t ~ left_t (x) right_t (UORO: s~_t (N) and
 * theta~_t (P); KF-RTRL: A_t (N x N) and u_t (N_in + N + 1); R-KF-RTRL: B_t (N x (N_in + N + 1))
 * and A_t (N); SnAp-n: the kept entries of M_t and q_t), the left factor's successor, the state,
 * the random signs and the stream they come from, and SnAp's {@link InfluencePattern}. Its size
 * depends on N, N_in, N_out (and SnAp's pattern) only: not on T or B.
 */
public final class DoubleApproximateRtrlWorkspace implements DoubleWorkspace {

  final int batchCapacity;
  final int stepCapacity;
  double[] left;
  double[] leftNext;
  final double[] right;
  double[] scratch;       // as large as the left factor (SnAp: its restricted Jacobian and sums)
  final double[] pre;     // two slots of N: previous / current (by parity)
  final double[] z;
  final double[] u;
  final double[] psi;     // f'(pre_t) (rate: f'(u_t))
  final double[] psiPrev; // f'(v_{t-1}) (voltage)
  final double[] nu;      // signs of the left factor
  final double[] nuRight; // signs of the right factor (the decorrelated test variant only)
  final double[] d;       // the immediate term's row scale, times the signs (UORO)
  final double[] c;
  final double[] y;
  final double[] dy;
  final RandomStream signs = new RandomStream(0);
  /** SnAp-n: the kept entries of M_t (null until its first sequence). */
  InfluencePattern pattern;
  int parity;
  int nextStep;

  DoubleApproximateRtrlWorkspace(ModelConfig config, int batchSize, int steps, int leftSize,
      int rightSize) {
    int n = config.hidden();
    this.batchCapacity = batchSize;
    this.stepCapacity = steps;
    this.left = new double[leftSize];
    this.leftNext = new double[leftSize];
    this.right = new double[rightSize];
    this.scratch = new double[leftSize];
    this.pre = new double[2 * n];
    this.z = new double[2 * n];
    this.u = new double[n];
    this.psi = new double[n];
    this.psiPrev = new double[n];
    this.nu = new double[n];
    this.nuRight = new double[n];
    this.d = new double[n];
    this.c = new double[n];
    this.y = new double[config.outputs()];
    this.dy = new double[config.outputs()];
  }

  /**
   * The left factor of the current estimate (UORO: s~_t; KF-RTRL: A_t, N x N row-major;
   * R-KF-RTRL: B_t, N x (N_in + N + 1) row-major).
   */
  public double[] leftFactor() {
    return left;
  }

  /** The right factor of the current estimate (UORO: theta~_t; KF-RTRL: u_t; R-KF-RTRL: A_t). */
  public double[] rightFactor() {
    return right;
  }

  /** State and both factors to zero (a new sequence). */
  void reset() {
    Arrays.fill(pre, 0d);
    Arrays.fill(z, 0d);
    Arrays.fill(left, 0d);
    Arrays.fill(right, 0d);
    parity = 0;
    nextStep = 0;
  }

  /** Grows the left factor, its successor and the scratch to at least the given sizes. */
  void ensureCapacity(int leftSize, int scratchSize) {
    if (left.length < leftSize) {
      left = new double[leftSize];
      leftNext = new double[leftSize];
    }
    if (scratch.length < scratchSize) {
      scratch = new double[scratchSize];
    }
  }

  /** The left factor's successor becomes current. */
  void swapLeft() {
    double[] s = left;
    left = leftNext;
    leftNext = s;
  }

  @Override
  public int batchCapacity() {
    return batchCapacity;
  }

  @Override
  public int stepCapacity() {
    return stepCapacity;
  }

  @Override
  public long sizeInBytes() {
    return (long) Double.BYTES * (left.length + leftNext.length + right.length + scratch.length
        + pre.length + z.length + u.length + psi.length + psiPrev.length + nu.length
        + nuRight.length + d.length + c.length + y.length + dy.length)
        + (pattern == null ? 0 : pattern.sizeInBytes());
  }

  static DoubleApproximateRtrlWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleApproximateRtrlWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by an approximate RTRL rule"
        + " (uoro, kf-rtrl, r-kf-rtrl, snap-n), got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
