package org.tca.rules.task;

import java.util.Objects;

/**
 * Inputs held as unsigned bytes, value {@code x = (b & 0xFF) / divisor} rounded once to the
 * destination precision (read from a 256-entry table of those quotients) (MNIST pixels with divisor 255; spike trains with divisor 1). Trial
 * {@code k} is the {@code (first + k)}-th record of the shared array, so splits of one file
 * share its bytes.
 */
final class ByteStore implements InputStore {

  private final byte[] data;
  private final int first;
  private final int trials;
  private final int steps;
  private final int inputs;
  private final int divisor;
  /** lut[b] = fl32(b / divisor) and lutD[b] = fl64(b / divisor): the same values as dividing. */
  private final float[] lut = new float[256];
  private final double[] lutD = new double[256];

  ByteStore(byte[] data, int first, int trials, int steps, int inputs, int divisor) {
    this.data = Objects.requireNonNull(data, "data");
    long need = ((long) first + trials) * steps * inputs;
    if (first < 0 || trials < 0 || need > data.length) {
      throw new IllegalArgumentException("records [" + first + ", " + (first + trials)
          + ") of " + steps + " x " + inputs + " bytes exceed the " + data.length + " bytes held");
    }
    if (divisor < 1) {
      throw new IllegalArgumentException("divisor must be >= 1, got " + divisor);
    }
    this.first = first;
    this.trials = trials;
    this.steps = steps;
    this.inputs = inputs;
    this.divisor = divisor;
    for (int b = 0; b < 256; b++) {
      lut[b] = b / (float) divisor;
      lutD[b] = b / (double) divisor;
    }
  }

  @Override
  public int trials() {
    return trials;
  }

  /** The raw byte of (trial, t, i), 0..255. */
  int raw(int trial, int t, int i) {
    return data[((first + trial) * steps + t) * inputs + i] & 0xFF;
  }

  @Override
  public float value(int trial, int t, int i) {
    return lut[raw(trial, t, i)];
  }

  @Override
  public void copyTrial(int trial, float[] dst, int base, int stride) {
    float[] table = lut;
    int src = (first + trial) * steps * inputs;
    for (int t = 0; t < steps; t++) {
      int s = src + t * inputs;
      int d = base + t * stride;
      for (int i = 0; i < inputs; i++) {
        dst[d + i] = table[data[s + i] & 0xFF];
      }
    }
  }

  @Override
  public void copyTrial(int trial, double[] dst, int base, int stride) {
    double[] table = lutD;
    int src = (first + trial) * steps * inputs;
    for (int t = 0; t < steps; t++) {
      int s = src + t * inputs;
      int d = base + t * stride;
      for (int i = 0; i < inputs; i++) {
        dst[d + i] = table[data[s + i] & 0xFF];
      }
    }
  }
}
