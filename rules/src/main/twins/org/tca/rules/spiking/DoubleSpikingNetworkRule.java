package org.tca.rules.spiking;

import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.model.ModelConfig;

/**
 * What every spiking rule with a reverse sweep ({@link DoubleSpikingSweepRule}) or an online mode
 * ({@link DoubleSpikingOnlineRule}) holds: the network it was made for, the network's kernels, and
 * the constants of its cell ({@link DoubleSpikingConstants}) under the names the rules' equations
 * use: N, N_in, N_out, the width W = N_in + N of a row over the columns of W_in | W_rec, the first
 * ALIF unit, alpha, rho, kappa, beta and v_th.
 */
public abstract class DoubleSpikingNetworkRule implements DoubleLearningRule, SpikingRule {

  final SpikingConfig config;
  final DoubleSpikingNetwork network;
  final DoubleKernels k;
  final int n;
  final int nIn;
  final int nOut;
  final int width;
  final int first;
  final double alpha;
  final double rho;
  final double kappa;
  final double beta;
  final double threshold;

  DoubleSpikingNetworkRule(DoubleSpikingNetwork network) {
    this.config = network.config();
    this.network = network;
    this.k = network.kernels();
    DoubleSpikingConstants cell = network.constants();
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
