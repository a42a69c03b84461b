package org.tca.rules.learning;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.model.ModelConfig;

/**
 * e-prop (Bellec et al. 2020): the eligibility trace exact for the neuron's own leak times the
 * direct learning signal,
 *
 * <pre>
 *   dW_pq = sum_t L_{p,t} e_{pq,t},   L_t = B dJ/dy_t
 *   voltage-leak: e_{pq,t} = f'(v_{p,t}) eps_{pq,t},  eps_{pq,t} = a eps_{pq,t-1} + (1-a) q_{q,t}
 *   rate-leak:    e_{pq,t} = P_{pq,t},  P_t = (1-a) P_{t-1} + a f'(u_t) q_t'
 * </pre>
 *
 * with q_t = [x_t | z_{t-1} | 1] for W_in | W_rec | b_rec. On the voltage-leak cell eps depends on
 * q only (one filtered presynaptic vector, never an N x N trace); offline, the update is formed as
 * GEMMs over time by filtering the postsynaptic side backwards instead ({@link DoubleLocalRule}).
 * Equivalently: the true gradient with the path through z_{t-1} in the recurrent input blocked.
 * B = W_out' ({@code "eprop"}, symmetric, the paper's default) or a fixed random matrix with
 * B_pk ~ N(0, 1/N) from a seed ({@code "eprop-random"}, {@link Feedback}). The readout blocks get
 * the exact gradient. Online (B = 1), step t emits diag(L_t) e_t.
 */
public final class DoubleEprop extends DoubleLocalRule {

  /** e-prop with symmetric feedback and the kernels this JVM picked. */
  public DoubleEprop(ModelConfig config) {
    this(config, Feedback.SYMMETRIC, Kernels.f64());
  }

  /** e-prop with the given feedback. */
  public DoubleEprop(ModelConfig config, Feedback feedback, DoubleKernels kernels) {
    super(config, feedback, kernels);
  }

  /** e-prop with random feedback B ~ N(0, 1/N) drawn from {@code seed}. */
  public static DoubleEprop random(ModelConfig config, long seed, DoubleKernels kernels) {
    return new DoubleEprop(config, Feedback.random(seed, 1.0 / Math.sqrt(config.hidden())),
        kernels);
  }

  @Override
  public String id() {
    return feedback.isSymmetric() ? "eprop" : "eprop-random";
  }
}
