package org.tca.rules.model;

import java.util.Locale;

/**
 * The named parameter blocks of the rate RNN, in the order they are laid out in the flat
 * parameter array:
 *
 * <pre>
 *   v_t = a v_{t-1} + (1 - a) (W_in x_t + W_rec z_{t-1} + b_rec),  z_t = f(v_t)
 *   y_t = W_out z_t + b_out
 * </pre>
 *
 * Matrices have shape [out, in] (row-major); biases are vectors (stored with cols = 1). The
 * recurrent blocks W_in, W_rec, b_rec come first, so they form one contiguous prefix of the flat
 * array (see {@link ParameterLayout#recurrentSize()}).
 */
public enum Block {
  /** Input weights, [N, N_in]. */
  W_IN("W_in", true),
  /** Recurrent weights, [N, N]; column j holds the outgoing weights of neuron j. */
  W_REC("W_rec", true),
  /** Recurrent bias, [N] (absent when the config has no recurrent bias). */
  B_REC("b_rec", false),
  /** Readout weights, [N_out, N]. */
  W_OUT("W_out", true),
  /** Readout bias, [N_out]. */
  B_OUT("b_out", false);

  private final String id;
  private final boolean matrix;

  Block(String id, boolean matrix) {
    this.id = id;
    this.matrix = matrix;
  }

  /** The name used in files and on command lines: "W_in", "W_rec", "b_rec", "W_out", "b_out". */
  public String id() {
    return id;
  }

  /** True for the weight matrices, false for the bias vectors. */
  public boolean isMatrix() {
    return matrix;
  }

  /** True for the blocks the L2 penalty applies to (W_in, W_rec, W_out; never the biases). */
  public boolean penalised() {
    return matrix;
  }

  /** Parses {@link #id()} (case-insensitive). */
  public static Block parse(String id) {
    for (Block b : values()) {
      if (b.id.toLowerCase(Locale.ROOT).equals(id.toLowerCase(Locale.ROOT))) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "unknown parameter block '" + id + "' (expected W_in, W_rec, b_rec, W_out or b_out)");
  }
}
