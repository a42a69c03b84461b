package org.tca.rules.learning;

import java.util.Arrays;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.model.ModelConfig;

/**
 * Scratch of the approximate RTRL rules ({@link FloatApproximateRtrl}) for one sequence at a
 * time: the two factors of the influence estimate M_t ~ left_t (x) right_t (UORO: s~_t (N) and
 * theta~_t (P); KF-RTRL: A_t (N x N) and u_t (N_in + N + 1); R-KF-RTRL: B_t (N x (N_in + N + 1))
 * and A_t (N); SnAp-n: the kept entries of M_t and q_t), the left factor's successor, the state,
 * the random signs and the stream they come from, and SnAp's {@link InfluencePattern}. Its size
 * depends on N, N_in, N_out (and SnAp's pattern) only: not on T or B.
 */
public final class FloatApproximateRtrlWorkspace implements FloatWorkspace {

  final int batchCapacity;
  final int stepCapacity;
  float[] left;
  float[] leftNext;
  final float[] right;
  float[] scratch;       // as large as the left factor (SnAp: its restricted Jacobian and sums)
  final float[] pre;     // two slots of N: previous / current (by parity)
  final float[] z;
  final float[] u;
  final float[] psi;     // f'(pre_t) (rate: f'(u_t))
  final float[] psiPrev; // f'(v_{t-1}) (voltage)
  final float[] nu;      // signs of the left factor
  final float[] nuRight; // signs of the right factor (the decorrelated test variant only)
  final float[] d;       // the immediate term's row scale, times the signs (UORO)
  final float[] c;
  final float[] y;
  final float[] dy;
  final RandomStream signs = new RandomStream(0);
  /** SnAp-n: the kept entries of M_t (null until its first sequence). */
  InfluencePattern pattern;
  int parity;
  int nextStep;

  FloatApproximateRtrlWorkspace(ModelConfig config, int batchSize, int steps, int leftSize,
      int rightSize) {
    int n = config.hidden();
    this.batchCapacity = batchSize;
    this.stepCapacity = steps;
    this.left = new float[leftSize];
    this.leftNext = new float[leftSize];
    this.right = new float[rightSize];
    this.scratch = new float[leftSize];
    this.pre = new float[2 * n];
    this.z = new float[2 * n];
    this.u = new float[n];
    this.psi = new float[n];
    this.psiPrev = new float[n];
    this.nu = new float[n];
    this.nuRight = new float[n];
    this.d = new float[n];
    this.c = new float[n];
    this.y = new float[config.outputs()];
    this.dy = new float[config.outputs()];
  }

  /**
   * The left factor of the current estimate (UORO: s~_t; KF-RTRL: A_t, N x N row-major;
   * R-KF-RTRL: B_t, N x (N_in + N + 1) row-major).
   */
  public float[] leftFactor() {
    return left;
  }

  /** The right factor of the current estimate (UORO: theta~_t; KF-RTRL: u_t; R-KF-RTRL: A_t). */
  public float[] rightFactor() {
    return right;
  }

  /** State and both factors to zero (a new sequence). */
  void reset() {
    Arrays.fill(pre, 0f);
    Arrays.fill(z, 0f);
    Arrays.fill(left, 0f);
    Arrays.fill(right, 0f);
    parity = 0;
    nextStep = 0;
  }

  /** Grows the left factor, its successor and the scratch to at least the given sizes. */
  void ensureCapacity(int leftSize, int scratchSize) {
    if (left.length < leftSize) {
      left = new float[leftSize];
      leftNext = new float[leftSize];
    }
    if (scratch.length < scratchSize) {
      scratch = new float[scratchSize];
    }
  }

  /** The left factor's successor becomes current. */
  void swapLeft() {
    float[] s = left;
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
    return (long) Float.BYTES * (left.length + leftNext.length + right.length + scratch.length
        + pre.length + z.length + u.length + psi.length + psiPrev.length + nu.length
        + nuRight.length + d.length + c.length + y.length + dy.length)
        + (pattern == null ? 0 : pattern.sizeInBytes());
  }

  static FloatApproximateRtrlWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatApproximateRtrlWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by an approximate RTRL rule"
        + " (uoro, kf-rtrl, r-kf-rtrl, snap-n), got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
