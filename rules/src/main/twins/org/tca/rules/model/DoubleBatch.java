package org.tca.rules.model;

import java.util.Arrays;

/**
 * A minibatch of B sequences of T steps, time-major so that one step is a dense B x N_in matrix:
 * x_t[b][k] = {@code x()[(t * B + b) * N_in + k]}, t = 0..T-1. Targets are either class labels
 * (for cross-entropy: one label per sample, {@code labels()[b]}, or one per step and sample,
 * {@code labels()[t * B + b]}) or regression targets y*_t[b][k] = {@code targets()[(t * B + b) *
 * N_out + k]} (for MSE). The loss mask m_t &gt;= 0 ({@code lossMask()[t]}) weights step t; the
 * per-sample loss is sum_t m_t l_t / sum_t m_t. The arrays are filled in place by a task;
 * the shape never changes.
 */
public final class DoubleBatch {

  private final int steps;
  private final int size;
  private final int inputs;
  private final int outputs;
  private final double[] x;
  private final int[] labels;     // null for regression
  private final double[] targets;  // null for classification
  private final double[] lossMask;

  private DoubleBatch(int steps, int size, int inputs, int outputs, int[] labels, double[] targets) {
    if (steps < 1 || size < 1 || inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException("batch sizes must be >= 1: T=" + steps + " B=" + size
          + " N_in=" + inputs + " N_out=" + outputs);
    }
    this.steps = steps;
    this.size = size;
    this.inputs = inputs;
    this.outputs = outputs;
    this.x = new double[ArrayLength.of("a batch's inputs T x B x N_in", steps, size, inputs)];
    this.labels = labels;
    this.targets = targets;
    this.lossMask = new double[steps];
    this.lossMask[steps - 1] = 1d;
  }

  /**
   * A classification batch (N_out classes) with one label per sample, or one per step and sample
   * when {@code labelsPerStep}. The loss mask starts as "last step only".
   */
  public static DoubleBatch classification(int steps, int size, int inputs, int classes,
      boolean labelsPerStep) {
    return new DoubleBatch(steps, size, inputs, classes,
        new int[labelsPerStep ? steps * size : size], null);
  }

  /** A regression batch with targets [T][B][N_out]. The loss mask starts as "last step only". */
  public static DoubleBatch regression(int steps, int size, int inputs, int outputs) {
    return new DoubleBatch(steps, size, inputs, outputs, null,
        new double[ArrayLength.of("a batch's targets T x B x N_out", steps, size, outputs)]);
  }

  /** T. */
  public int steps() {
    return steps;
  }

  /** B. */
  public int size() {
    return size;
  }

  /** N_in. */
  public int inputs() {
    return inputs;
  }

  /** N_out (classes for classification). */
  public int outputs() {
    return outputs;
  }

  /** Inputs [T][B][N_in], time-major (the array itself). */
  public double[] x() {
    return x;
  }

  /** Labels [B] or [T][B] (the array itself), or null for a regression batch. */
  public int[] labels() {
    return labels;
  }

  /** True when the batch has one label per step. */
  public boolean labelsPerStep() {
    return labels != null && labels.length == steps * size;
  }

  /** Regression targets [T][B][N_out] (the array itself), or null for classification. */
  public double[] targets() {
    return targets;
  }

  /** True for a classification (label) batch. */
  public boolean classification() {
    return labels != null;
  }

  /** The loss mask m_t [T] (the array itself; nonnegative weights). */
  public double[] lossMask() {
    return lossMask;
  }

  /** Offset of x_t for sample b. */
  public int xOffset(int t, int b) {
    return (t * size + b) * inputs;
  }

  /** Offset of y*_t for sample b (regression). */
  public int targetOffset(int t, int b) {
    return (t * size + b) * outputs;
  }

  /** The label of sample b at step t. */
  public int label(int t, int b) {
    return labels[labelIndex(t, b)];
  }

  /** Index into {@link #labels()} of the label of sample b at step t (samples b.. are contiguous). */
  public int labelIndex(int t, int b) {
    return labelsPerStep() ? t * size + b : b;
  }

  /**
   * End (exclusive) of the run of consecutive loss steps (m_t != 0) starting at t: the steps
   * t..runEnd(t)-1 all carry loss (an empty run when m_t = 0).
   */
  public int lossRunEnd(int t) {
    int e = t;
    while (e < steps && lossMask[e] != 0d) {
      e++;
    }
    return e;
  }

  /** Loss only at the last step. */
  public DoubleBatch lossAtLastStep() {
    Arrays.fill(lossMask, 0d);
    lossMask[steps - 1] = 1d;
    return this;
  }

  /** Loss at every step (equal weights). */
  public DoubleBatch lossAtEveryStep() {
    Arrays.fill(lossMask, 1d);
    return this;
  }

  /** Loss mask set from an array of T nonnegative weights (copied). */
  public DoubleBatch lossMask(double[] weights) {
    if (weights.length != steps) {
      throw new IllegalArgumentException("mask has " + weights.length + " steps, batch has " + steps);
    }
    System.arraycopy(weights, 0, lossMask, 0, steps);
    return this;
  }

  /** sum_t m_t (checked > 0 and finite). */
  public double lossMaskSum() {
    double s = 0;
    for (double m : lossMask) {
      if (!(m >= 0)) {
        throw new IllegalStateException("loss mask weights must be >= 0, got " + m);
      }
      s += m;
    }
    if (!(s > 0) || Double.isInfinite(s)) {
      throw new IllegalStateException("loss mask must have a positive finite sum, got " + s);
    }
    return s;
  }

  /** First step with m_t != 0, or -1. */
  public int firstLossStep() {
    for (int t = 0; t < steps; t++) {
      if (lossMask[t] != 0d) {
        return t;
      }
    }
    return -1;
  }

  /** Last step with m_t != 0, or -1. */
  public int lastLossStep() {
    for (int t = steps - 1; t >= 0; t--) {
      if (lossMask[t] != 0d) {
        return t;
      }
    }
    return -1;
  }
}
