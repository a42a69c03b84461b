package org.tca.rules.spiking;

/**
 * A learning rule that trains a spiking network ({@link SpikingConfig}) rather than the rate RNN
 * of its {@code config()}: the trainer and the evaluator run {@link FloatSpikingNetwork} for it,
 * record firing rates, and the curvature code refuses it (the Hessian of a loss through the spike
 * function H is not defined).
 */
public interface SpikingRule {

  /** The spiking network the rule was made for. */
  SpikingConfig spikingConfig();
}
