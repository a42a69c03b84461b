package org.tca.rules.spiking;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the spiking rules with an online mode share (e-prop {@link DoubleSpikingEprop}, RTRL
 * {@link DoubleSpikingRtrl}, MDGL {@link DoubleSpikingOnlineMdgl}, truncated BPTT
 * {@link DoubleSpikingOnlineTruncatedBptt}): besides the network, kernels and cell constants of
 * {@link DoubleSpikingNetworkRule}, the id and settings they report. Every one of them runs online.
 */
public abstract class DoubleSpikingOnlineRule extends DoubleSpikingNetworkRule {

  private final String id;
  private final Map<String, Object> settings;

  DoubleSpikingOnlineRule(DoubleSpikingNetwork network, String id, Map<String, Object> settings) {
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
