package org.tca.rules.task;

/**
 * What a task asks of the readout y_t:
 *
 * <ul>
 *   <li>{@link #CLASSIFICATION}: one integer label per trial in {@code [0, N_out)}, scored by
 *       cross-entropy of softmax(y_t) at the steps where the loss mask is non-zero;
 *   <li>{@link #REGRESSION}: a target y*_t in R^{N_out} at every step, scored by mean squared
 *       error at the steps where the loss mask is non-zero.
 * </ul>
 */
public enum TaskKind {
  CLASSIFICATION,
  REGRESSION
}
