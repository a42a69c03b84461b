package org.tca.rules.spiking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;

/**
 * What the spiking rules with an online mode share (e-prop {@link FloatSpikingEprop}, RTRL
 * {@link FloatSpikingRtrl}, MDGL {@link FloatSpikingOnlineMdgl}, truncated BPTT
 * {@link FloatSpikingOnlineTruncatedBptt}): besides the network, kernels and cell constants of
 * {@link FloatSpikingNetworkRule}, the id and settings they report. Every one of them runs online,
 * and splits its step for a caller that needs y_t = W_out zf_t + c_t b_out before the target
 * ({@link #predictOnline}: one network step per time step, the y_t the loss is then taken at).
 */
public abstract class FloatSpikingOnlineRule extends FloatSpikingNetworkRule {

  private final String id;
  private final Map<String, Object> settings;

  FloatSpikingOnlineRule(FloatSpikingNetwork network, String id, Map<String, Object> settings) {
    super(network);
    this.id = id;
    this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  @Override
  public final String id() {
    return id;
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
