package org.tca.rules.spiking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;

/**
 * What the spiking rules with an online mode share (e-prop {@link FloatSpikingEprop}, RTRL
 * {@link FloatSpikingRtrl}, MDGL {@link FloatSpikingOnlineMdgl}, truncated BPTT
 * {@link FloatSpikingOnlineTruncatedBptt}): the network they were made for, the id and settings
 * they report, the kernels, and the sizes and constants of the cell (N, N_in, N_out, the width
 * W = N_in + N of a row over the columns of W_in | W_rec, the first ALIF unit, alpha, rho, kappa,
 * beta, v_th). Every one of them runs online, and splits its step for a caller that needs
 * y_t = W_out zf_t + c_t b_out before the target ({@link #predictOnline}: one network step per
 * time step, the y_t the loss is then taken at).
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

  /**
   * Advances the state to step t and writes y_t = W_out zf_t + c_t b_out into {@code y}; the
   * {@link #stepOnline} of step t that follows (parameters and x_t unchanged) takes this state
   * and this y_t instead of stepping the network again.
   */
  @Override
  public final boolean predictOnline(FloatParameters p, FloatBatch batch, int t,
      FloatWorkspace ws, float[] y) {
    sample(ws).predict(p, batch, t, y);
    return true;
  }

  /**
   * Online: the spikes sum_j z_j,t of the last step taken or predicted in {@code ws} (0 before
   * step 0 of a sequence).
   */
  public final int spikes(FloatWorkspace ws) {
    return sample(ws).spikes();
  }

  /** The sample the online steps of {@code ws} advance (a workspace of this rule). */
  abstract FloatSpikingSample sample(FloatWorkspace ws);
}
