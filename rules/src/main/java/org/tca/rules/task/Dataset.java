package org.tca.rules.task;

import java.util.Objects;

/**
 * A finite set of n trials of one task, held compactly (trial-major primitive arrays; MNIST
 * pixels and spike trains as bytes), from which minibatches are gathered into caller-owned,
 * time-major buffers without allocating. With B = {@code count} trials gathered:
 *
 * <pre>
 *   x[(t * B + b) * N_in + i]   = input i at step t of trial indices[offset + b]
 *   labels[b]                   = its class label                    (classification)
 *   y[(t * B + b) * N_out + k]  = its target k at step t              (regression)
 * </pre>
 *
 * for t = 0..T-1, b = 0..B-1 (the layout of the model's batch). The loss mask m_t (0 or 1,
 * length T) says at which steps the loss is taken. Generated inputs and targets are f32 numbers,
 * widened exactly for an f64 gather, so f32 and f64 runs see the same data; byte-held inputs
 * (pixels, spikes) are {@code byte / divisor} rounded once to the destination precision. The
 * gathers are {@link FloatTrials} and its generated f64 twin (built at the first f64 gather).
 * A generated set ({@link #generated()}) holds no trials: each is regenerated from (seed, index)
 * when gathered, with the bits a stored set of the same seed holds. Immutable and thread-safe.
 */
public final class Dataset {

  private final String split;
  private final TaskKind kind;
  private final int steps;
  private final int inputs;
  private final int outputs;
  private final float[] lossMask;
  private final InputStore store;
  private final int[] labels;
  private final float[] targets;
  private final boolean sharedTargets;
  private final FloatTrials f32;
  private volatile DoubleTrials f64;

  private Dataset(String split, TaskKind kind, int steps, int inputs, int outputs,
      float[] lossMask, InputStore store, int[] labels, float[] targets, boolean sharedTargets) {
    this.split = Objects.requireNonNull(split, "split");
    this.kind = kind;
    this.steps = steps;
    this.inputs = inputs;
    this.outputs = outputs;
    this.lossMask = lossMask.clone();
    this.store = store;
    this.labels = labels;
    this.targets = targets;
    this.sharedTargets = sharedTargets;
    if (steps < 1 || inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException("need T, N_in, N_out >= 1, got " + steps + ", "
          + inputs + ", " + outputs);
    }
    if (lossMask.length != steps) {
      throw new IllegalArgumentException("loss mask has " + lossMask.length + " steps, T = "
          + steps);
    }
    boolean any = false;
    for (float m : lossMask) {
      if (m != 0f && m != 1f) {
        throw new IllegalArgumentException("loss mask entries must be 0 or 1, got " + m);
      }
      any |= m != 0f;
    }
    if (!any) {
      throw new IllegalArgumentException("loss mask selects no step");
    }
    this.f32 = new FloatTrials(store, labels, targetStore(), sharedTargets);
  }

  /**
   * A classification set: labels[k] in [0, classes) for trial k.
   */
  static Dataset classification(String split, int steps, int inputs, int classes,
      float[] lossMask, InputStore store, int[] labels) {
    if (labels.length != store.trials()) {
      throw new IllegalArgumentException(labels.length + " labels for " + store.trials()
          + " trials");
    }
    for (int label : labels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
      }
    }
    return new Dataset(split, TaskKind.CLASSIFICATION, steps, inputs, classes, lossMask, store,
        labels, null, false);
  }

  /**
   * A classification set generated on demand ({@link GeneratedStore}): labels come with the
   * trials (the source's, in [0, classes)); nothing is held.
   */
  static Dataset generated(String split, int steps, int inputs, int classes, float[] lossMask,
      GeneratedStore store) {
    return new Dataset(split, TaskKind.CLASSIFICATION, steps, inputs, classes, lossMask, store,
        null, null, false);
  }

  /**
   * A regression set: targets {@code [trial][t][k]}, or one {@code [t][k]} shared by every trial
   * when {@code shared}.
   */
  static Dataset regression(String split, int steps, int inputs, int outputs, float[] lossMask,
      InputStore store, float[] targets, boolean shared) {
    long want = (long) (shared ? 1 : store.trials()) * steps * outputs;
    if (targets.length != want) {
      throw new IllegalArgumentException(targets.length + " target values, expected " + want);
    }
    return new Dataset(split, TaskKind.REGRESSION, steps, inputs, outputs, lossMask, store, null,
        targets, shared);
  }

  /**
   * A classification set from arrays (for custom tasks and tests): inputs
   * {@code data[(k * T + t) * N_in + i]} of trial k, {@code labels[k]} in [0, classes), the loss
   * mask m_t in {0, 1}. The arrays are copied.
   */
  public static Dataset ofClassification(String split, int steps, int inputs, int classes,
      float[] lossMask, float[] data, int[] labels) {
    return classification(split, steps, inputs, classes, lossMask,
        new DenseStore(data.clone(), labels.length, steps, inputs), labels.clone());
  }

  /**
   * A regression set from arrays: inputs as in {@link #ofClassification}, targets
   * {@code targets[(k * T + t) * N_out + j]} of trial k. The arrays are copied.
   */
  public static Dataset ofRegression(String split, int steps, int inputs, int outputs,
      float[] lossMask, float[] data, float[] targets) {
    int per = Math.multiplyExact(steps, outputs);
    if (per == 0 || targets.length % per != 0) {
      throw new IllegalArgumentException(targets.length + " target values is not a multiple of"
          + " T * N_out = " + per);
    }
    return regression(split, steps, inputs, outputs, lossMask,
        new DenseStore(data.clone(), targets.length / per, steps, inputs), targets.clone(), false);
  }

  /** Which split this is: "train", "validation", "test" or "shifted-test". */
  public String split() {
    return split;
  }

  /** Number of trials n. */
  public int size() {
    return store.trials();
  }

  /**
   * True when the trials are generated on demand from (seed, trial index), nothing stored: n may
   * then be far larger than memory, and a trainer walks the set in order
   * ({@link MinibatchSampler#of}).
   */
  public boolean generated() {
    return store instanceof GeneratedStore;
  }

  /** The bytes the set holds: its inputs, labels and targets (0 inputs when generated). */
  public long bytes() {
    return store.heldBytes() + (labels == null ? 0 : (long) Integer.BYTES * labels.length)
        + (targets == null ? 0 : (long) Float.BYTES * targets.length);
  }

  /** Sequence length T. */
  public int steps() {
    return steps;
  }

  /** N_in. */
  public int inputSize() {
    return inputs;
  }

  /** N_out: classes for classification, target dimension for regression. */
  public int outputSize() {
    return outputs;
  }

  /** Classification or regression. */
  public TaskKind kind() {
    return kind;
  }

  /** A copy of the loss mask m_t (0 or 1), length T. */
  public float[] lossMask() {
    return lossMask.clone();
  }

  /** m_t. */
  public float lossMask(int t) {
    return lossMask[t];
  }

  /** Input i at step t of trial {@code trial} (direct indexing; f32 value). */
  public float input(int trial, int t, int i) {
    Objects.checkIndex(trial, size());
    Objects.checkIndex(t, steps);
    Objects.checkIndex(i, inputs);
    return store.value(trial, t, i);
  }

  /** The class label of a trial (classification only). */
  public int label(int trial) {
    requireKind(TaskKind.CLASSIFICATION);
    Objects.checkIndex(trial, size());
    return labels != null ? labels[trial] : ((GeneratedStore) store).trial(trial).label;
  }

  /** A copy of all labels (classification only; a generated set generates its n trials). */
  public int[] labels() {
    requireKind(TaskKind.CLASSIFICATION);
    if (labels != null) {
      return labels.clone();
    }
    int[] all = new int[size()];
    java.util.Arrays.setAll(all, this::label);
    return all;
  }

  /** Target k at step t of a trial (regression only). */
  public float target(int trial, int t, int k) {
    requireKind(TaskKind.REGRESSION);
    Objects.checkIndex(trial, size());
    Objects.checkIndex(t, steps);
    Objects.checkIndex(k, outputs);
    return targets[targetBase(trial) + t * outputs + k];
  }

  private int targetBase(int trial) {
    return sharedTargets ? 0 : trial * steps * outputs;
  }

  /**
   * Gathers B = {@code count} trials into time-major f32 buffers (layout in the class comment).
   * Trial b is {@code indices[offset + b]}, or {@code offset + b} when {@code indices} is null
   * (a consecutive range, for evaluation). {@code labels} and {@code y} may be null when not
   * wanted; a classification set ignores {@code y}, a regression set ignores {@code labels}.
   *
   * @throws IndexOutOfBoundsException if an index is outside [0, n) or a buffer is too small
   */
  public void gather(int[] indices, int offset, int count, float[] x, int[] labels, float[] y) {
    checkGather(indices, offset, count, x.length, labels, y == null ? -1 : y.length);
    f32.gather(indices, offset, count, x, labels, y);
  }

  /** As {@link #gather(int[], int, int, float[], int[], float[])}, into f64 buffers. */
  public void gather(int[] indices, int offset, int count, double[] x, int[] labels, double[] y) {
    checkGather(indices, offset, count, x.length, labels, y == null ? -1 : y.length);
    DoubleTrials d = f64;
    if (d == null) {
      synchronized (this) {
        d = f64;
        if (d == null) {
          d = new DoubleTrials(store, this.labels, targetStore(), sharedTargets);
          f64 = d;
        }
      }
    }
    d.gather(indices, offset, count, x, labels, y);
  }

  private DenseStore targetStore() {
    return targets == null ? null
        : new DenseStore(targets, sharedTargets ? 1 : store.trials(), steps, outputs);
  }

  private void checkGather(int[] indices, int offset, int count, int xLength, int[] labels,
      int yLength) {
    int n = size();
    if (indices == null) {
      Objects.checkFromIndexSize(offset, count, n);
    } else {
      Objects.checkFromIndexSize(offset, count, indices.length);
      for (int b = 0; b < count; b++) {
        Objects.checkIndex(indices[offset + b], n);
      }
    }
    checkLength("x", xLength, (long) steps * count * inputs);
    if (kind == TaskKind.CLASSIFICATION && labels != null) {
      checkLength("labels", labels.length, count);
    }
    if (kind == TaskKind.REGRESSION && yLength >= 0) {
      checkLength("y", yLength, (long) steps * count * outputs);
    }
  }

  private static void checkLength(String what, int have, long need) {
    if (have < need) {
      throw new IndexOutOfBoundsException(what + " buffer holds " + have + " values, the batch"
          + " needs " + need);
    }
  }

  private void requireKind(TaskKind want) {
    if (kind != want) {
      throw new IllegalStateException("a " + kind + " dataset has no "
          + (want == TaskKind.CLASSIFICATION ? "labels" : "regression targets"));
    }
  }

  @Override
  public String toString() {
    return "Dataset[" + split + ", n=" + size() + ", T=" + steps + ", N_in=" + inputs + ", N_out="
        + outputs + ", " + kind + "]";
  }
}
