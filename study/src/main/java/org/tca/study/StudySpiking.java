package org.tca.study;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.spiking.SpikingConfig;

/**
 * The spiking network of a study that trains spiking cells ({@link StudySpec#spiking}; absent:
 * rate cells): the cell mix and the neuron constants of {@link SpikingConfig} (dt = 1 ms), the
 * firing-rate target r_0 = targetRateHz / 1000 spikes per step and the initial input gain of
 * {@link org.tca.rules.spiking.SpikingInitialization} (W_in ~ N(0, (g_in v_th)^2 / N_in)).
 * Defaults ({@link #published}): Bellec et al. 2020's evidence-accumulation network, as
 * {@code tca train --cell}. Config key {@code spiking}, an object with the keys of {@link #json}.
 *
 * @param cell which units are LIF and which ALIF
 * @param tauMembrane tau_m in ms
 * @param tauAdaptation tau_a in ms
 * @param beta ALIF adaptation strength
 * @param threshold v_th
 * @param dampening gamma of the pseudo-derivative
 * @param refractory n_ref in steps
 * @param tauReadout tau_out in ms
 * @param rateCost c_r of the firing-rate term (0: off)
 * @param targetRateHz r_0 in Hz
 * @param inputGain g_in of the initial W_in
 */
public record StudySpiking(SpikingCell cell, double tauMembrane, double tauAdaptation,
    double beta, double threshold, double dampening, int refractory, double tauReadout,
    double rateCost, double targetRateHz, double inputGain) {

  /** The one-unit network on which the constructor checks the neuron constants. */
  private static final ModelConfig ONE_UNIT =
      ModelConfig.builder(1, 1, 1).recurrentBias(false).build();

  /**
   * The config key of each field {@link SpikingConfig} checks, by the subject its messages start
   * with ("tau_m must be ...", "the refractory period must be ...").
   */
  private static final Map<String, String> KEYS = Map.of("tau_m", "tau_m", "tau_a", "tau_a",
      "tau_out", "tau_out", "v_th", "v_th", "gamma", "gamma", "beta", "beta",
      "the refractory period", "n_ref", "the firing-rate cost", "rate_cost");

  /**
   * Validates every field: a bad value is an {@link IllegalArgumentException} whose message
   * starts with its config key, {@code spiking.KEY} ("spiking.tau_m must be > 0 ..."; the CLI
   * turns the key into its flag).
   */
  public StudySpiking {
    Objects.requireNonNull(cell, "spiking.cell");
    if (!(inputGain > 0) || Double.isInfinite(inputGain)) {
      throw new IllegalArgumentException("spiking.input_gain must be > 0 and finite, got "
          + inputGain);
    }
    if (!(targetRateHz >= 0 && targetRateHz <= 1000)) {
      throw new IllegalArgumentException("spiking.target_rate must be in [0, 1000] Hz (dt = 1"
          + " ms), got " + targetRateHz);
    }
    config(ONE_UNIT, cell, tauMembrane, tauAdaptation, beta, threshold, dampening, refractory,
        tauReadout, rateCost, targetRateHz);
  }

  /** The published evidence-accumulation neurons on {@code cell} (the tca train defaults). */
  public static StudySpiking published(SpikingCell cell) {
    return new StudySpiking(cell, 20, 2000, 1.8, 0.6, 0.3, 5, 20, 1, 10, 1);
  }

  /** The spiking network on {@code base} (sizes, loss, L2, W_rec structure). */
  public SpikingConfig config(ModelConfig base) {
    return config(base, cell, tauMembrane, tauAdaptation, beta, threshold, dampening, refractory,
        tauReadout, rateCost, targetRateHz);
  }

  private static SpikingConfig config(ModelConfig base, SpikingCell cell, double tauMembrane,
      double tauAdaptation, double beta, double threshold, double dampening, int refractory,
      double tauReadout, double rateCost, double targetRateHz) {
    try {
      return new SpikingConfig(base, cell.adaptiveCount(base.hidden()), tauMembrane,
          tauAdaptation, beta, threshold, dampening, refractory, tauReadout, rateCost,
          targetRateHz / 1000);
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      for (Map.Entry<String, String> k : KEYS.entrySet()) {
        if (m.startsWith(k.getKey() + " ")) {
          throw new IllegalArgumentException("spiking." + k.getValue()
              + m.substring(k.getKey().length()), e);
        }
      }
      throw new IllegalArgumentException("spiking: " + m, e);
    }
  }

  /**
   * The neuron constants of {@code c} by config key, in file order: tau_m, tau_a, beta, v_th,
   * gamma, n_ref, tau_out, rate_cost (a study's {@link #json} and model.json's "spiking" both
   * hold them).
   */
  public static Map<String, Object> constants(SpikingConfig c) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("tau_m", c.tauMembrane());
    j.put("tau_a", c.tauAdaptation());
    j.put("beta", c.beta());
    j.put("v_th", c.threshold());
    j.put("gamma", c.dampening());
    j.put("n_ref", c.refractory());
    j.put("tau_out", c.tauReadout());
    j.put("rate_cost", c.rateCost());
    return j;
  }

  /** The config-file form: cell, {@link #constants}, target rate in Hz and input gain. */
  public Map<String, Object> json() {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("cell", cell.id());
    j.putAll(constants(config(ONE_UNIT)));
    j.put("target_rate", targetRateHz);
    j.put("input_gain", inputGain);
    return j;
  }

  /**
   * The settings of {@code values} (keys of {@link #json}, each optional) over
   * {@link #published}{@code (lif-alif)}.
   *
   * @throws IllegalArgumentException for an unknown key or bad value, naming it
   */
  public static StudySpiking of(Map<String, ?> values) {
    StudySpiking d = published(SpikingCell.LIF_ALIF);
    Map<String, Object> j = d.json();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (!j.containsKey(e.getKey())) {
        throw new IllegalArgumentException("spiking: unknown key '" + e.getKey()
            + "' (expected " + String.join(", ", j.keySet()) + ")");
      }
      j.put(e.getKey(), e.getValue());
    }
    SpikingCell cell;
    try {
      cell = SpikingCell.parse(String.valueOf(j.get("cell")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spiking.cell: " + e.getMessage());
    }
    return new StudySpiking(cell, num(j, "tau_m"), num(j, "tau_a"), num(j, "beta"),
        num(j, "v_th"), num(j, "gamma"), (int) num(j, "n_ref"), num(j, "tau_out"),
        num(j, "rate_cost"), num(j, "target_rate"), num(j, "input_gain"));
  }

  private static double num(Map<String, Object> j, String key) {
    Object v = j.get(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("spiking." + key + " must be a number, got " + v);
  }
}
