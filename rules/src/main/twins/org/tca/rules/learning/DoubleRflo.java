package org.tca.rules.learning;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.ModelConfig;

/**
 * Random-feedback local online learning (Murray 2019). On the rate-leak cell
 * h_t = (1-a) h_{t-1} + a f(u_t) (a = dt/tau), with q_t = [x_t | h_{t-1} | 1]:
 *
 * <pre>
 *   P_t = (1-a) P_{t-1} + a f'(u_t) q_t'          (N x (N_in + N + 1))
 *   dW_pq = sum_t [B dJ/dy_t]_p P_{pq,t},          B_pk ~ N(0, 1/N_out), fixed, from a seed
 * </pre>
 *
 * P is exactly the rate-leak e-prop trace, so RFLO is e-prop with RFLO's feedback; with
 * B = W_out' it equals e-prop symmetric. On the voltage-leak cell RFLO is likewise e-prop with
 * random feedback: the trace is the exact voltage-leak one (f'(v_t) times the presynaptic values
 * filtered by a; see {@link DoubleEprop}). Online (B = 1), step t emits diag(B dy_t) P_t; offline
 * the update is formed by GEMMs over time ({@link DoubleLocalRule}). The readout blocks get the
 * exact gradient.
 */
public final class DoubleRflo extends DoubleLocalRule {

  /** RFLO with B ~ N(0, 1/N_out) from {@code seed} and the kernels this JVM picked. */
  public DoubleRflo(ModelConfig config, long seed) {
    this(config, murray(config, seed), Kernels.f64());
  }

  /** RFLO with the given feedback (e.g. {@link Feedback#SYMMETRIC} for B = W_out'). */
  public DoubleRflo(ModelConfig config, Feedback feedback, DoubleKernels kernels) {
    super(config, feedback, kernels);
  }

  /** Murray's feedback: B_pk ~ N(0, 1/N_out) from {@code seed}. */
  public static Feedback murray(ModelConfig config, long seed) {
    return Feedback.random(seed, 1.0 / Math.sqrt(config.outputs()));
  }

  @Override
  public String id() {
    return "rflo";
  }
}
