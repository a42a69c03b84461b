package org.tca.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.study.StudySpiking;
import picocli.CommandLine.Option;

/**
 * The neuron options of a spiking run ({@code tca train --cell lif|alif|lif-alif}): the
 * constants of {@link SpikingConfig} (defaults: Bellec et al. 2020's evidence-accumulation
 * network) and the input gain of {@link org.tca.rules.spiking.SpikingInitialization}. Every bad
 * value is a {@link UsageException} naming the flag.
 */
final class SpikingOptions {

  private static final Pattern KEY = Pattern.compile("spiking\\.([a-z_]+)");

  @Option(names = "--tau-m", defaultValue = "20", paramLabel = "MS",
      description = "Spiking cells: membrane time constant in ms (dt = 1 ms; default:"
          + " ${DEFAULT-VALUE}, the published value for every task: a task's default --tau is"
          + " the rate cells' and does not apply, model.json says so).")
  double tauMembrane;

  @Option(names = "--tau-a", defaultValue = "2000", paramLabel = "MS",
      description = "Spiking cells: ALIF adaptation time constant in ms (default: ${DEFAULT-VALUE}).")
  double tauAdaptation;

  @Option(names = "--beta", defaultValue = "1.8", paramLabel = "B",
      description = "Spiking cells: ALIF adaptation strength (default: ${DEFAULT-VALUE}).")
  double beta;

  @Option(names = "--v-th", defaultValue = "0.6", paramLabel = "V",
      description = "Spiking cells: threshold v_th (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--n-ref", defaultValue = "5", paramLabel = "STEPS",
      description = "Spiking cells: refractory period in steps (default: ${DEFAULT-VALUE}).")
  int refractory;

  @Option(names = "--gamma", defaultValue = "0.3", paramLabel = "G",
      description = "Spiking cells: pseudo-derivative dampening gamma (default: ${DEFAULT-VALUE}).")
  double gamma;

  @Option(names = "--tau-out", defaultValue = "20", paramLabel = "MS",
      description = "Spiking cells: leaky readout time constant in ms (default: ${DEFAULT-VALUE}).")
  double tauReadout;

  @Option(names = "--target-rate", defaultValue = "10", paramLabel = "HZ",
      description = "Spiking cells: firing-rate target r_0 in Hz (default: ${DEFAULT-VALUE}).")
  double targetRateHz;

  @Option(names = "--rate-cost", defaultValue = "1", paramLabel = "C",
      description = "Spiking cells: weight c_r of the firing-rate term, 0: off (default:"
          + " ${DEFAULT-VALUE}).")
  double rateCost;

  @Option(names = "--input-gain", defaultValue = "1", paramLabel = "G",
      description = "Spiking cells: initial W_in scale g_in, W_in ~ N(0, (g_in v_th)^2 / N_in)"
          + " (sparse inputs need more, e.g. 4 for evidence-accumulation; default:"
          + " ${DEFAULT-VALUE}).")
  double inputGain;

  /**
   * The spiking network of {@code cell} on {@code base} (sizes, loss, L2, W_rec structure), its
   * neurons checked as a study's ({@link StudySpiking}): a bad value is a {@link UsageException}
   * naming its flag (config key {@code spiking.tau_m} is flag {@code --tau-m}).
   */
  SpikingConfig config(ModelConfig base, SpikingCell cell) {
    try {
      return new StudySpiking(cell, tauMembrane, tauAdaptation, beta, threshold, gamma,
          refractory, tauReadout, rateCost, targetRateHz, inputGain).config(base);
    } catch (IllegalArgumentException e) {
      throw new UsageException(flag(e.getMessage()));
    }
  }

  /** "spiking.tau_m must be ..." -> "--tau-m must be ...": the flag of each config key. */
  private static String flag(String message) {
    Matcher m = KEY.matcher(message);
    return m.lookingAt() ? "--" + m.group(1).replace('_', '-') + message.substring(m.end())
        : message;
  }

  /**
   * model.json's {@code "task_tau"} of a spiking run: the task's default time constant
   * ({@code tau} steps, NaN: none) is the rate cells' leak a = exp(-dt/tau); spiking units take
   * their membrane time constant tau_m from {@code --tau-m} (default 20 ms whatever the task),
   * so it is reported as not applied, next to the tau_m that is.
   */
  static Map<String, Object> taskTau(double tau, SpikingConfig c) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("rate_cells", Double.isNaN(tau) ? null : tau);
    j.put("applied", false);
    j.put("note", "the task's default tau is the rate cells' leak; the spiking membrane uses"
        + " tau_m = " + c.tauMembrane() + " ms (--tau-m)");
    return j;
  }

  /**
   * The spiking part of model.json: the number of ALIF units, the neuron constants
   * ({@link StudySpiking#constants}) and the target rate in spikes per step.
   */
  static Map<String, Object> json(SpikingConfig c) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("alif_units", c.adaptiveCount());
    j.putAll(StudySpiking.constants(c));
    j.put("target_rate", c.targetRate());
    return j;
  }
}
