package org.tca.rules.spiking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.numerics.kernels.DoubleKernels;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.learning.DoubleWorkspace;
import org.tca.rules.model.DoubleBatch;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.ModelConfig;

/**
 * What the spiking rules with an online mode share (e-prop {@link DoubleSpikingEprop}, RTRL
 * {@link DoubleSpikingRtrl}, MDGL {@link DoubleSpikingOnlineMdgl}, truncated BPTT
 * {@link DoubleSpikingOnlineTruncatedBptt}): the network they were made for, the id and settings
 * they report, the kernels, and the sizes and constants of the cell (N, N_in, N_out, the width
 * W = N_in + N of a row over the columns of W_in | W_rec, the first ALIF unit, alpha, rho, kappa,
 * beta, v_th). Every one of them runs online, and splits its step for a caller that needs
 * y_t = W_out zf_t + c_t b_out before the target ({@link #predictOnline}: one network step per
 * time step, the y_t the loss is then taken at).
 */
@SuppressWarnings("cast") // narrowing casts from double; redundant in the f64 twin
public abstract class DoubleSpikingOnlineRule implements DoubleLearningRule, SpikingRule {

  final SpikingConfig config;
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
  private final String id;
  private final Map<String, Object> settings;

  DoubleSpikingOnlineRule(SpikingConfig config, String id, Map<String, Object> settings,
      DoubleKernels kernels) {
    this.config = config;
    this.id = id;
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    this.k = kernels;
    this.n = config.hidden();
    this.nIn = config.base().inputs();
    this.nOut = config.base().outputs();
    this.width = nIn + n;
    this.first = config.firstAdaptive();
    this.alpha = (double) config.alpha();
    this.rho = (double) config.rho();
    this.kappa = (double) config.kappa();
    this.beta = (double) config.beta();
    this.threshold = (double) config.threshold();
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
  public final boolean predictOnline(DoubleParameters p, DoubleBatch batch, int t,
      DoubleWorkspace ws, double[] y) {
    sample(ws).predict(p, batch, t, y);
    return true;
  }

  /**
   * Online: the spikes sum_j z_j,t of the last step taken or predicted in {@code ws} (0 before
   * step 0 of a sequence).
   */
  public final int spikes(DoubleWorkspace ws) {
    return sample(ws).spikes();
  }

  /** The sample the online steps of {@code ws} advance (a workspace of this rule). */
  abstract DoubleSpikingSample sample(DoubleWorkspace ws);
}
