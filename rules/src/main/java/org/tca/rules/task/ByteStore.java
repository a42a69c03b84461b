package org.tca.rules.task;

import java.util.Objects;

/**
 * Inputs held as unsigned bytes, value {@code x = (b & 0xFF) / divisor} rounded once to the
 * destination precision (MNIST pixels with divisor 255; spike trains with divisor 1). Trial
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
    return (data[((first + trial) * steps + t) * inputs + i] & 0xFF) / (float) divisor;
  }

  /** Its records' bytes (of an array that other splits may share). */
  @Override
  public long heldBytes() {
    return (long) trials * steps * inputs;
  }

  /** The bytes (shared, not copied). */
  byte[] bytes() {
    return data;
  }

  /** The record index of trial 0. */
  int first() {
    return first;
  }

  /** The divisor. */
  int divisor() {
    return divisor;
  }
}
