package org.tca.rules.task;

import java.util.Objects;

/** Inputs held as f32 values, {@code data[(trial * T + t) * N_in + i]}. */
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
  public float value(int trial, int t, int i) {
    return data[(trial * steps + t) * inputs + i];
  }

  @Override
  public void copyTrial(int trial, float[] dst, int base, int stride) {
    int src = trial * steps * inputs;
    for (int t = 0; t < steps; t++) {
      System.arraycopy(data, src + t * inputs, dst, base + t * stride, inputs);
    }
  }

  @Override
  public void copyTrial(int trial, double[] dst, int base, int stride) {
    int src = trial * steps * inputs;
    for (int t = 0; t < steps; t++) {
      int s = src + t * inputs;
      int d = base + t * stride;
      for (int i = 0; i < inputs; i++) {
        dst[d + i] = data[s + i];
      }
    }
  }
}
