package org.tca.rules.task;

import java.util.Objects;

/** Values held as f32 numbers, {@code data[(trial * T + t) * N_in + i]}. */
final class DenseStore implements InputStore {

  private final float[] data;
  private final int trials;
  private final int steps;
  private final int inputs;

  DenseStore(float[] data, int trials, int steps, int inputs) {
    this.data = Objects.requireNonNull(data, "data");
    if (data.length != Math.multiplyExact(Math.multiplyExact(trials, steps), inputs)) {
      throw new IllegalArgumentException("data has " + data.length + " values, expected "
          + trials + " x " + steps + " x " + inputs);
    }
    this.trials = trials;
    this.steps = steps;
    this.inputs = inputs;
  }

  @Override
  public int trials() {
    return trials;
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public int inputs() {
    return inputs;
  }

  @Override
  public float value(int trial, int t, int i) {
    return data[(trial * steps + t) * inputs + i];
  }

  @Override
  public long heldBytes() {
    return (long) Float.BYTES * data.length;
  }

  /** The values (shared, not copied). */
  float[] f32() {
    return data;
  }

  /** The values widened to f64 (exact; a new array). */
  double[] f64() {
    double[] d = new double[data.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = data[i];
    }
    return d;
  }
}
