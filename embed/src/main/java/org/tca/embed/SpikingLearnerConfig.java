package org.tca.embed;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.spiking.SpikingInitialization;

/**
 * The spiking part of a learner config (OPEN with {@code "cell": "lif" | "alif" | "lif-alif"}):
 * the LIF/ALIF network of {@link SpikingConfig} (dt = 1 ms) with the neuron constants
 * {@code tca train --cell} takes, under the config keys of a study's {@code spiking} object,
 * with the same defaults (Bellec et al. 2020's evidence-accumulation neurons): tau_m = 20 ms,
 * tau_a = 2000 ms, beta = 1.8, v_th = 0.6, n_ref = 5 steps, gamma = 0.3, tau_out = 20 ms, a
 * firing-rate term of cost c_r = 1 toward r_0 = 10 Hz, and the initial input gain g_in = 1
 * ({@link SpikingInitialization}: W_in ~ N(0, (g_in v_th)^2 / N_in)).
 *
 * @param network the spiking network (sizes, loss and L2 from the learner config)
 * @param inputGain g_in of the initial W_in
 */
public record SpikingLearnerConfig(SpikingConfig network, double inputGain) {

  /** The config keys of the neurons (refused for rate cells). */
  static final Set<String> KEYS = Set.of("tau_m", "tau_a", "beta", "v_th", "n_ref", "gamma",
      "tau_out", "target_rate", "rate_cost", "input_gain");

  /** The rate cells' keys (refused for spiking cells: no activation, no leak, no b_rec). */
  static final Set<String> RATE_KEYS = Set.of("activation", "leak", "recurrent_bias");

  /** The config key of each subject {@link SpikingConfig}'s messages start with. */
  private static final Map<String, String> SUBJECTS = Map.of("tau_m", "tau_m", "tau_a", "tau_a",
      "tau_out", "tau_out", "v_th", "v_th", "gamma", "gamma", "beta", "beta",
      "the refractory period", "n_ref", "the firing-rate cost", "rate_cost",
      "the target rate", "target_rate");

  /** Validates the input gain. */
  public SpikingLearnerConfig {
    if (!(inputGain > 0) || Double.isInfinite(inputGain)) {
      throw new IllegalArgumentException("learner config key 'input_gain' must be > 0 and"
          + " finite, got " + inputGain);
    }
  }

  /**
   * The spiking network of {@code cell} on {@code base} (built without b_rec) from the neuron
   * keys of {@code root}; a bad value is an error naming its key.
   */
  static SpikingLearnerConfig parse(JsonNode root, SpikingCell cell, ModelConfig base) {
    for (String k : RATE_KEYS) {
      if (root.has(k)) {
        throw new IllegalArgumentException("learner config key '" + k + "' is for rate cells;"
            + " cell " + cell.id() + " is spiking (its neurons: " + String.join(", ",
                new java.util.TreeSet<>(KEYS)) + ")");
      }
    }
    double targetHz = LearnerConfig.number(root, "target_rate", 10);
    if (!(targetHz >= 0 && targetHz <= 1000)) {
      throw new IllegalArgumentException("learner config key 'target_rate' must be in [0, 1000]"
          + " Hz (dt = 1 ms), got " + targetHz);
    }
    SpikingConfig network;
    try {
      network = new SpikingConfig(base, cell.adaptiveCount(base.hidden()),
          LearnerConfig.number(root, "tau_m", 20), LearnerConfig.number(root, "tau_a", 2000),
          LearnerConfig.number(root, "beta", 1.8), LearnerConfig.number(root, "v_th", 0.6),
          LearnerConfig.number(root, "gamma", 0.3), integer(root, "n_ref", 5),
          LearnerConfig.number(root, "tau_out", 20), LearnerConfig.number(root, "rate_cost", 1),
          targetHz / 1000);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(named(e.getMessage()));
    }
    return new SpikingLearnerConfig(network, LearnerConfig.number(root, "input_gain", 1));
  }

  private static int integer(JsonNode root, String key, int dflt) {
    return root.has(key) ? LearnerConfig.integer(root, key, -1) : dflt;
  }

  /** "tau_m must be > 0 ..." -> "learner config key 'tau_m' must be > 0 ...". */
  private static String named(String message) {
    for (Map.Entry<String, String> e : SUBJECTS.entrySet()) {
      if (message.startsWith(e.getKey() + " ")) {
        return "learner config key '" + e.getValue() + "'"
            + message.substring(e.getKey().length());
      }
    }
    return message;
  }
}
