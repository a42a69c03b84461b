package org.tca.rules.learning;

import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;

/**
 * Scratch of exact RTRL for one sequence at a time: the influence matrix M_t = d state_t / d theta_rec
 * (N x P, P = |W_in| + |W_rec| + |b_rec|) and its successor, the N x N step Jacobian, and the
 * current and previous state. Its size depends on N, N_in, N_out only: not on T or B.
 */
public final class FloatRtrlWorkspace implements FloatWorkspace {

  final int batchCapacity;
  final int stepCapacity;
  final int width;
  float[] m;
  float[] mNext;
  final float[] jac;
  final float[] pre;   // two slots of N: previous / current (by parity)
  final float[] z;
  final float[] u;
  final float[] psi;
  final float[] c;
  final float[] y;
  final float[] dy;
  int parity;
  int nextStep;

  /** For batches of at most B samples of T steps (recorded only; memory does not depend on them). */
  public FloatRtrlWorkspace(ModelConfig config, int batchSize, int steps) {
    int n = config.hidden();
    this.batchCapacity = batchSize;
    this.stepCapacity = steps;
    this.width = new ParameterLayout(config).recurrentSize();
    this.m = new float[n * width];
    this.mNext = new float[n * width];
    this.jac = new float[n * n];
    this.pre = new float[2 * n];
    this.z = new float[2 * n];
    this.u = new float[n];
    this.psi = new float[n];
    this.c = new float[n];
    this.y = new float[config.outputs()];
    this.dy = new float[config.outputs()];
  }

  /** The influence matrix M_t (N x P, row-major) after the last step. */
  public float[] influence() {
    return m;
  }

  /** P, the number of columns of the influence matrix. */
  public int influenceWidth() {
    return width;
  }

  void reset() {
    java.util.Arrays.fill(pre, 0f);
    java.util.Arrays.fill(z, 0f);
    parity = 0;
    nextStep = 0;
  }

  void swapInfluence() {
    float[] s = m;
    m = mNext;
    mNext = s;
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
    return (long) Float.BYTES * (m.length + mNext.length + jac.length + pre.length + z.length
        + u.length + psi.length + c.length + y.length + dy.length);
  }

  static FloatRtrlWorkspace cast(FloatWorkspace ws) {
    if (ws instanceof FloatRtrlWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by RTRL, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
