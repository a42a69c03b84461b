package org.tca.rules.learning;

import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.model.Cell;
import org.tca.rules.model.ModelConfig;

/**
 * One reverse-mode step through the cell, for B x N row blocks. Input gz_t = dL/dz_t through the
 * readout and the recurrent path (W_rec' du_{t+1}), but not through the leak; carried g = dL/d
 * (state_{t+1}) on entry, dL/d(state_t) on exit; output du_t = dL/du_t, the gradient at the
 * cell's drive u_t = W_in x_t + W_rec z_{t-1} + b_rec:
 *
 * <pre>
 *   voltage-leak: g_t = f'(v_t) gz_t + a g_{t+1},   du_t = (1 - a) g_t
 *   rate-leak:    g_t = gz_t + (1 - a) g_{t+1},      du_t = a f'(u_t) g_t
 * </pre>
 *
 * {@code first} means g_{t+1} = 0 (the start of a recursion), so g need not be cleared.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleCellBackward {

  private final DoubleKernels k;
  private final Cell cell;
  private final Activation f;
  private final double decay;
  private final double gain;

  /** The step for a config. */
  public DoubleCellBackward(ModelConfig c, DoubleKernels kernels) {
    this.k = kernels;
    this.cell = c.cell();
    this.f = c.activation();
    this.decay = (double) c.cell().stateDecay(c.leak());
    this.gain = (double) c.cell().inputGain(c.leak());
  }

  /**
   * One step over {@code nb} = B * N entries; {@code gz} is overwritten, {@code g} updated in place
   * (unused when the state decay is 0), {@code du} written.
   */
  public void step(int nb, double[] pre, int preOff, double[] gz, int gzOff, double[] g, int gOff,
      boolean first, double[] du, int duOff) {
    if (cell == Cell.VOLTAGE_LEAK) {
      if (decay == 0d) { // a = 0: du_t = f'(v_t) gz_t
        k.mulActivationDerivative(f, nb, pre, preOff, gz, gzOff, du, duOff);
        return;
      }
      k.mulActivationDerivative(f, nb, pre, preOff, gz, gzOff, gz, gzOff);
      accumulate(nb, gz, gzOff, g, gOff, first);
      System.arraycopy(g, gOff, du, duOff, nb);
      k.scale(nb, gain, du, duOff);
    } else {
      if (decay == 0d) { // a = 1: du_t = f'(u_t) gz_t
        k.mulActivationDerivative(f, nb, pre, preOff, gz, gzOff, du, duOff);
        return;
      }
      accumulate(nb, gz, gzOff, g, gOff, first);
      k.mulActivationDerivative(f, nb, pre, preOff, g, gOff, du, duOff);
      k.scale(nb, gain, du, duOff);
    }
  }

  /** g = gz + decay * g (or g = gz at the start of a recursion). */
  private void accumulate(int nb, double[] gz, int gzOff, double[] g, int gOff, boolean first) {
    if (first) {
      System.arraycopy(gz, gzOff, g, gOff, nb);
    } else {
      k.axpby(nb, 1d, gz, gzOff, decay, g, gOff);
    }
  }
}
