package org.tca.rules.spiking;

/**
 * The constants of the LIF/ALIF cell of a {@link SpikingConfig}, derived and rounded to f64 once
 * per network ({@link DoubleSpikingNetwork#constants}), for the network, its online sample and the
 * rules made for it ({@link DoubleSpikingNetworkRule}) alike:
 *
 * <pre>
 *   n = N, nIn = N_in, nOut = N_out, width = N_in + N (a row over the columns of W_in | W_rec),
 *   first = N - N_a (the first ALIF unit), refractory = n_ref,
 *   alpha = exp(-1/tau_m), rho = exp(-1/tau_a), kappa = exp(-1/tau_out), beta, threshold = v_th,
 *   psiScale = gamma / v_th (the pseudo-derivative's peak)
 * </pre>
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public final class DoubleSpikingConstants {

  final int n;
  final int nIn;
  final int nOut;
  final int width;
  final int first;
  final int refractory;
  final double alpha;
  final double rho;
  final double kappa;
  final double beta;
  final double threshold;
  final double psiScale;

  /** The constants of {@code config}'s cell. */
  public DoubleSpikingConstants(SpikingConfig config) {
    this.n = config.hidden();
    this.nIn = config.base().inputs();
    this.nOut = config.base().outputs();
    this.width = nIn + n;
    this.first = config.firstAdaptive();
    this.refractory = config.refractory();
    this.alpha = (double) config.alpha();
    this.rho = (double) config.rho();
    this.kappa = (double) config.kappa();
    this.beta = (double) config.beta();
    this.threshold = (double) config.threshold();
    this.psiScale = (double) (config.dampening() / config.threshold());
  }
}
