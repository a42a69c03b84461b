package org.tca.rules.spiking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the spiking rules with an online mode share (e-prop {@link FloatSpikingEprop}, RTRL
 * {@link FloatSpikingRtrl}, MDGL {@link FloatSpikingOnlineMdgl}, truncated BPTT
 * {@link FloatSpikingOnlineTruncatedBptt}): besides the network, kernels and cell constants of
 * {@link FloatSpikingNetworkRule}, the id and settings they report. Every one of them runs online.
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
}
