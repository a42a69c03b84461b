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
 * they report, the kernels, and the sizes and constants of the cell (N, N_in, N_out, the width
 * W = N_in + N of a row over the columns of W_in | W_rec, the first ALIF unit, alpha, rho, kappa,
 * beta, v_th). Every one of them runs online.
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public abstract class FloatSpikingOnlineRule implements FloatLearningRule, SpikingRule {

  final SpikingConfig config;
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

  FloatSpikingOnlineRule(SpikingConfig config, String id, Map<String, Object> settings,
      FloatKernels kernels) {
    this.config = config;
    this.id = id;
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    this.k = kernels;
    this.n = config.hidden();
    this.nIn = config.base().inputs();
    this.nOut = config.base().outputs();
    this.width = nIn + n;
    this.first = config.firstAdaptive();
    this.alpha = (float) config.alpha();
    this.rho = (float) config.rho();
    this.kappa = (float) config.kappa();
    this.beta = (float) config.beta();
    this.threshold = (float) config.threshold();
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
