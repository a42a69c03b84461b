package org.tca.rules.spiking;

/**
 * The constants of the LIF/ALIF cell of a {@link SpikingConfig}, derived and rounded to f32 once
 * per network ({@link FloatSpikingNetwork#constants}), for the network, its online sample and the
 * rules made for it ({@link FloatSpikingNetworkRule}) alike:
 *
 * <pre>
 *   n = N, nIn = N_in, nOut = N_out, width = N_in + N (a row over the columns of W_in | W_rec),
 *   first = N - N_a (the first ALIF unit), refractory = n_ref,
 *   alpha = exp(-1/tau_m), rho = exp(-1/tau_a), kappa = exp(-1/tau_out), beta, threshold = v_th,
 *   psiScale = gamma / v_th (the pseudo-derivative's peak)
 * </pre>
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class FloatSpikingConstants {

  final int n;
  final int nIn;
  final int nOut;
  final int width;
  final int first;
  final int refractory;
  final float alpha;
  final float rho;
  final float kappa;
  final float beta;
  final float threshold;
  final float psiScale;

  /** The constants of {@code config}'s cell. */
  public FloatSpikingConstants(SpikingConfig config) {
    this.n = config.hidden();
    this.nIn = config.base().inputs();
    this.nOut = config.base().outputs();
    this.width = nIn + n;
    this.first = config.firstAdaptive();
    this.refractory = config.refractory();
    this.alpha = (float) config.alpha();
    this.rho = (float) config.rho();
    this.kappa = (float) config.kappa();
    this.beta = (float) config.beta();
    this.threshold = (float) config.threshold();
    this.psiScale = (float) (config.dampening() / config.threshold());
  }
}
