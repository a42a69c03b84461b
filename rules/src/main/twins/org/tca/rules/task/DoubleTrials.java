package org.tca.rules.task;

/**
 * The trials of a {@link Dataset} as f64 numbers, and the gather of minibatches from them into
 * time-major f64 buffers (the layout of {@link Dataset}). Inputs and targets held as numbers
 * come exactly from {@link DenseStore#f64}; inputs held as unsigned bytes, or generated as
 * bytes when gathered ({@link GeneratedStore}), are {@code table[b] = b / divisor}, rounded once
 * to f64. Immutable and thread-safe.
 */
final class DoubleTrials {

  private final int steps;
  private final int inputs;
  private final int outputs;
  private final double[] values;
  private final byte[] bytes;
  private final int first;
  private final double[] table;
  private final GeneratedStore generated;
  private final boolean classification;
  private final int[] labels;
  private final double[] targets;
  private final boolean sharedTargets;

  /**
   * The trials of {@code store} with their labels (classification; else null) or targets
   * (regression, {@code [trial][t][k]} or one {@code [t][k]} when {@code shared}; else null). A
   * generated classification set has no label array: its labels come with its trials.
   */
  DoubleTrials(InputStore store, int[] labels, DenseStore targets, boolean shared) {
    this.steps = store.steps();
    this.inputs = store.inputs();
    this.outputs = targets == null ? 0 : targets.inputs();
    this.labels = labels;
    this.classification = targets == null;
    this.targets = targets == null ? null : targets.f64();
    this.sharedTargets = shared;
    switch (store) {
      case DenseStore d -> {
        this.values = d.f64();
        this.bytes = null;
        this.first = 0;
        this.table = null;
        this.generated = null;
      }
      case ByteStore b -> {
        this.values = null;
        this.bytes = b.bytes();
        this.first = b.first();
        this.table = byteTable(b.divisor());
        this.generated = null;
      }
      case GeneratedStore g -> {
        this.values = null;
        this.bytes = null;
        this.first = 0;
        this.table = byteTable(1);
        this.generated = g;
      }
    }
  }

  private static double[] byteTable(int divisor) {
    double[] t = new double[256];
    for (int v = 0; v < 256; v++) {
      t[v] = v / (double) divisor;
    }
    return t;
  }

  /**
   * Gathers B = {@code count} trials: trial b is {@code indices[offset + b]}, or
   * {@code offset + b} when {@code indices} is null; {@code labels} and {@code y} may be null
   * when not wanted. The caller has checked indices and buffer sizes.
   */
  void gather(int[] indices, int offset, int count, double[] x, int[] labelsOut, double[] y) {
    for (int b = 0; b < count; b++) {
      int trial = indices == null ? offset + b : indices[offset + b];
      int label = copyInputs(trial, x, b * inputs, count * inputs);
      if (classification) {
        if (labelsOut != null) {
          labelsOut[b] = label;
        }
      } else if (y != null) {
        int src = sharedTargets ? 0 : trial * steps * outputs;
        for (int t = 0; t < steps; t++) {
          System.arraycopy(targets, src + t * outputs, y, (t * count + b) * outputs, outputs);
        }
      }
    }
  }

  /**
   * Step t of trial {@code trial} to {@code dst[base + t * stride + i]}, i = 0..N_in-1; returns
   * its label (classification; else 0).
   */
  private int copyInputs(int trial, double[] dst, int base, int stride) {
    if (values != null) {
      int src = trial * steps * inputs;
      for (int t = 0; t < steps; t++) {
        System.arraycopy(values, src + t * inputs, dst, base + t * stride, inputs);
      }
      return classification ? labels[trial] : 0;
    }
    byte[] data = bytes;
    int src = 0;
    int label;
    if (generated != null) {
      GeneratedStore.Trial g = generated.trial(trial);
      data = g.bytes;
      label = g.label;
    } else {
      src = (first + trial) * steps * inputs;
      label = classification ? labels[trial] : 0;
    }
    for (int t = 0; t < steps; t++) {
      int s = src + t * inputs;
      int d = base + t * stride;
      for (int i = 0; i < inputs; i++) {
        dst[d + i] = table[data[s + i] & 0xFF];
      }
    }
    return label;
  }
}
