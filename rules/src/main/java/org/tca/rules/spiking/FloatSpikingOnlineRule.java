package org.tca.rules.spiking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.model.ModelConfig;

/**
 * What the spiking rules with an online mode share (e-prop {@link FloatSpikingEprop}, RTRL
 * {@link FloatSpikingRtrl}, MDGL {@link FloatSpikingOnlineMdgl}, truncated BPTT
 * {@link FloatSpikingOnlineTruncatedBptt}): the network they were made for, the id and settings
 * they report, the network's kernels, and the sizes and constants of its cell
 * ({@link FloatSpikingConstants}: N, N_in, N_out, the width W = N_in + N of a row over the columns
 * of W_in | W_rec, the first ALIF unit, alpha, rho, kappa, beta, v_th). Every one of them runs
 * online.
 */
public abstract class FloatSpikingOnlineRule implements FloatLearningRule, SpikingRule {

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
  private final String id;
  private final Map<String, Object> settings;

  FloatSpikingOnlineRule(FloatSpikingNetwork network, String id, Map<String, Object> settings) {
    this.config = network.config();
    this.network = network;
    this.id = id;
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
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
  public final String id() {
    return id;
  }

  @Override
  public final ModelConfig config() {
    return config.base();
  }

  @Override
  public final SpikingConfig spikingConfig() {
    return config;
  }

  @Override
  public final Map<String, Object> settings() {
    return settings;
  }

  @Override
  public final boolean supportsOnline() {
    return true;
  }
}
