package org.tca.rules.task;

/**
 * Compact storage of the inputs of n trials, each T steps of N_in values, laid out trial-major
 * ({@code [trial][t][i]}) so that one trial is contiguous. Implementations copy a trial into a
 * strided destination without allocating.
 */
interface InputStore {

  /** Number of trials n. */
  int trials();

  /** x_t[i] of one trial, in f32. */
  float value(int trial, int t, int i);

  /**
   * Writes trial {@code trial}'s inputs into {@code dst}: step t goes to
   * {@code dst[base + t * stride + i]}, i = 0..N_in-1.
   */
  void copyTrial(int trial, float[] dst, int base, int stride);

  /** As {@link #copyTrial(int, float[], int, int)}, into an f64 array. */
  void copyTrial(int trial, double[] dst, int base, int stride);
}
