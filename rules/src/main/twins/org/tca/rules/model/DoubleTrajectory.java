package org.tca.rules.model;

import java.util.Arrays;

/**
 * The stored forward pass of a batch, sized once for at most B samples and T steps, time-major:
 * state slot s (s = 0..T) holds the B x N matrix after s steps, slot 0 being the initial state
 * (zeros). {@code pre()} holds what f' is taken at (v_t for the voltage-leak cell, u_t for the
 * rate-leak cell), {@code z()} the recurrent output z_t (= f(v_t), or h_t); step t = 0..T-1
 * writes slot t + 1. {@code y()} holds the readout y_t [T][B][N_out] at the loss steps.
 */
public final class DoubleTrajectory {

  private final int hidden;
  private final int outputs;
  private final int batchCapacity;
  private final int stepCapacity;
  private final double[] pre;
  private final double[] z;
  private final double[] y;
  private final double[] recurrentTransposed;
  private int batch;
  private int steps;

  /** Storage for at most {@code batchCapacity} samples of {@code stepCapacity} steps. */
  public DoubleTrajectory(ModelConfig c, int batchCapacity, int stepCapacity) {
    if (batchCapacity < 1 || stepCapacity < 1) {
      throw new IllegalArgumentException("capacities must be >= 1");
    }
    this.hidden = c.hidden();
    this.outputs = c.outputs();
    this.batchCapacity = batchCapacity;
    this.stepCapacity = stepCapacity;
    int states = ArrayLength.of("the stored states (T+1) x B x N", stepCapacity + 1L,
        batchCapacity, hidden);
    this.pre = new double[states];
    this.z = new double[states];
    this.y = new double[ArrayLength.of("the readouts T x B x N_out", stepCapacity, batchCapacity,
        outputs)];
    this.recurrentTransposed = new double[hidden * hidden];
  }

  /** Prepares for a batch of B samples and T steps: checks capacity and zeroes slot 0. */
  public void bind(int batchSize, int stepCount) {
    if (batchSize > batchCapacity || stepCount > stepCapacity) {
      throw new IllegalArgumentException("batch " + batchSize + " x " + stepCount
          + " steps exceeds the workspace capacity " + batchCapacity + " x " + stepCapacity);
    }
    this.batch = batchSize;
    this.steps = stepCount;
    Arrays.fill(pre, 0, batchSize * hidden, 0d);
    Arrays.fill(z, 0, batchSize * hidden, 0d);
  }

  /** Offset of state slot s (the B x N matrix after s steps) in {@link #pre()} and {@link #z()}. */
  public int slot(int s) {
    return s * batch * hidden;
  }

  /** Offset of y_t (B x N_out) in {@link #y()}. */
  public int yOffset(int t) {
    return t * batch * outputs;
  }

  /** Pre-activation store (v or u), [T+1][B][N]. */
  public double[] pre() {
    return pre;
  }

  /** Recurrent output store (z or h), [T+1][B][N]. */
  public double[] z() {
    return z;
  }

  /** Readout store [T][B][N_out]. */
  public double[] y() {
    return y;
  }

  /** Scratch N x N for W_rec' (the forward pass's right-hand side at large B). */
  public double[] recurrentTransposed() {
    return recurrentTransposed;
  }

  /** B of the bound batch. */
  public int batch() {
    return batch;
  }

  /** T of the bound batch. */
  public int steps() {
    return steps;
  }

  /** Maximum B. */
  public int batchCapacity() {
    return batchCapacity;
  }

  /** Maximum T. */
  public int stepCapacity() {
    return stepCapacity;
  }

  /** Bytes held. */
  public long sizeInBytes() {
    return (long) Double.BYTES * (pre.length + z.length + y.length + recurrentTransposed.length);
  }
}
