package org.tca.rules.spiking;

import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.model.ModelConfig;

/**
 * What every spiking rule with a reverse sweep ({@link FloatSpikingSweepRule}) or an online mode
 * ({@link FloatSpikingOnlineRule}) holds: the network it was made for, the network's kernels, and
 * the constants of its cell ({@link FloatSpikingConstants}) under the names the rules' equations
 * use: N, N_in, N_out, the width W = N_in + N of a row over the columns of W_in | W_rec, the first
 * ALIF unit, alpha, rho, kappa, beta and v_th.
 */
public abstract class FloatSpikingNetworkRule implements FloatLearningRule, SpikingRule {

  final SpikingConfig config;
  final FloatSpikingNetwork network;
  final FloatKernels k;
  final int n;
  final int nIn;
  final int nOut;
  final int width;
  final int first;
  final float alpha;
  final float rho;
  final float kappa;
  final float beta;
  final float threshold;

  FloatSpikingNetworkRule(FloatSpikingNetwork network) {
    this.config = network.config();
    this.network = network;
    this.k = network.kernels();
    FloatSpikingConstants cell = network.constants();
    this.n = cell.n;
    this.nIn = cell.nIn;
    this.nOut = cell.nOut;
    this.width = cell.width;
    this.first = cell.first;
    this.alpha = cell.alpha;
    this.rho = cell.rho;
    this.kappa = cell.kappa;
    this.beta = cell.beta;
    this.threshold = cell.threshold;
  }

  @Override
  public final ModelConfig config() {
    return config.base();
  }

  @Override
  public final SpikingConfig spikingConfig() {
    return config;
  }
}
