package org.tca.rules.learning;

import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.ParameterLayout;

/**
 * Scratch of exact RTRL for one sequence at a time: the influence matrix M_t = d state_t / d theta_rec
 * (N x P, P = |W_in| + |W_rec| + |b_rec|) and its successor, the N x N step Jacobian, and the
 * current and previous state. Its size depends on N, N_in, N_out only: not on T or B.
 */
public final class DoubleRtrlWorkspace implements DoubleWorkspace {

  final int batchCapacity;
  final int stepCapacity;
  final int width;
  double[] m;
  double[] mNext;
  final double[] jac;
  final double[] pre;   // two slots of N: previous / current (by parity)
  final double[] z;
  final double[] u;
  final double[] psi;
  final double[] psiNext;
  final double[] cOrdered;
  int[] order;      // row r of M holds neuron order[r]; pos is the inverse
  int[] pos;
  int[] orderNext;
  int[] posNext;
  int rows;         // leading rows of M with a nonzero column in the next step's Jacobian
  final double[] c;
  final double[] y;
  final double[] dy;
  int parity;
  int nextStep;

  /** For batches of at most B samples of T steps (recorded only; memory does not depend on them). */
  public DoubleRtrlWorkspace(ModelConfig config, int batchSize, int steps) {
    int n = config.hidden();
    this.batchCapacity = batchSize;
    this.stepCapacity = steps;
    this.width = new ParameterLayout(config).recurrentSize();
    this.m = new double[n * width];
    this.mNext = new double[n * width];
    this.jac = new double[n * n];
    this.pre = new double[2 * n];
    this.z = new double[2 * n];
    this.u = new double[n];
    this.psi = new double[n];
    this.psiNext = new double[n];
    this.cOrdered = new double[n];
    this.order = new int[n];
    this.pos = new int[n];
    this.orderNext = new int[n];
    this.posNext = new int[n];
    this.c = new double[n];
    this.y = new double[config.outputs()];
    this.dy = new double[config.outputs()];
  }

  /**
   * The influence matrix M_t (N x P, row-major) after the last step, its rows permuted: row r
   * holds neuron {@link #influenceRowNeuron(int) influenceRowNeuron(r)}. Only the first
   * {@link #influenceRows()} rows are current (at zero state decay the rest are never read).
   */
  public double[] influence() {
    return m;
  }

  /** The number of leading rows of {@link #influence()} that hold M_t. */
  public int influenceRows() {
    return rows;
  }

  /** The neuron whose influence row is row r of {@link #influence()}. */
  public int influenceRowNeuron(int r) {
    return order[r];
  }

  void reset() {
    java.util.Arrays.fill(pre, 0d);
    java.util.Arrays.fill(z, 0d);
    parity = 0;
    nextStep = 0;
    rows = 0;
  }

  /** M_t becomes current, with its row order. */
  void swapInfluence() {
    double[] s = m;
    m = mNext;
    mNext = s;
    int[] o = order;
    order = orderNext;
    orderNext = o;
    o = pos;
    pos = posNext;
    posNext = o;
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
    return (long) Double.BYTES * (m.length + mNext.length + jac.length + pre.length + z.length
        + u.length + psi.length + psiNext.length + cOrdered.length + c.length + y.length
        + dy.length) + (long) Integer.BYTES * 4 * order.length;
  }

  static DoubleRtrlWorkspace cast(DoubleWorkspace ws) {
    if (ws instanceof DoubleRtrlWorkspace w) {
      return w;
    }
    throw new IllegalArgumentException("expected a workspace made by RTRL, got "
        + (ws == null ? "null" : ws.getClass().getSimpleName()));
  }
}
