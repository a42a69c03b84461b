package org.tca.rules.task;

/**
 * Compact storage of the inputs of n trials, each T steps of N_in values, laid out trial-major
 * ({@code [trial][t][i]}) so that one trial is contiguous: f32 numbers ({@link DenseStore}), unsigned
 * bytes ({@link ByteStore}), or nothing: trials generated on demand ({@link GeneratedStore}).
 * {@link FloatTrials} and its f64 twin gather from it.
 */
sealed interface InputStore permits DenseStore, ByteStore, GeneratedStore {

  /** Number of trials n. */
  int trials();

  /** T. */
  int steps();

  /** N_in. */
  int inputs();

  /** x_t[i] of one trial, in f32. */
  float value(int trial, int t, int i);

  /** The bytes of input values it holds (0 when generated). */
  long heldBytes();
}
