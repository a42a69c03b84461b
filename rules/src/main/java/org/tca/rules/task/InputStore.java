package org.tca.rules.task;

/**
 * Compact storage of the inputs of n trials, each T steps of N_in values, laid out trial-major
 * ({@code [trial][t][i]}) so that one trial is contiguous: f32 numbers ({@link DenseStore}) or
 * unsigned bytes ({@link ByteStore}). {@link FloatTrials} and its f64 twin gather from it.
 */
sealed interface InputStore permits DenseStore, ByteStore {

  /** Number of trials n. */
  int trials();

  /** T. */
  int steps();

  /** N_in. */
  int inputs();

  /** x_t[i] of one trial, in f32. */
  float value(int trial, int t, int i);
}
