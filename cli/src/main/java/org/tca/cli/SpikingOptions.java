package org.tca.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.SpikingCell;
import org.tca.rules.spiking.SpikingConfig;
import picocli.CommandLine.Option;

/**
 * The neuron options of a spiking run ({@code tca train --cell lif|alif|lif-alif}): the
 * constants of {@link SpikingConfig} (defaults: Bellec et al. 2020's evidence-accumulation
 * network) and the input gain of {@link org.tca.rules.spiking.SpikingInitialization}. Every bad
 * value is a {@link UsageException} naming the flag.
 */
final class SpikingOptions {

  @Option(names = "--tau-m", defaultValue = "20", paramLabel = "MS",
      description = "Spiking cells: membrane time constant in ms (dt = 1 ms; default:"
          + " ${DEFAULT-VALUE}).")
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

  /** The spiking network of {@code cell} on {@code base} (sizes, loss, L2, W_rec structure). */
  SpikingConfig config(ModelConfig base, SpikingCell cell) {
    if (!(inputGain > 0) || Double.isInfinite(inputGain)) {
      throw new UsageException("--input-gain must be > 0 and finite, got " + inputGain);
    }
    if (!(targetRateHz >= 0 && targetRateHz <= 1000)) {
      throw new UsageException("--target-rate must be in [0, 1000] Hz (dt = 1 ms), got "
          + targetRateHz);
    }
    try {
      return new SpikingConfig(base, cell.adaptiveCount(base.hidden()), tauMembrane,
          tauAdaptation, beta, threshold, gamma, refractory, tauReadout, rateCost,
          targetRateHz / 1000);
    } catch (IllegalArgumentException e) {
      throw new UsageException(flag(e.getMessage()));
    }
  }

  /** Names the flag of a {@link SpikingConfig} message ("tau_m must be ..." -> "--tau-m ..."). */
  private static String flag(String message) {
    Map<String, String> flags = Map.of("tau_m", "--tau-m", "tau_a", "--tau-a", "tau_out",
        "--tau-out", "v_th", "--v-th", "gamma", "--gamma", "beta", "--beta",
        "the refractory period", "--n-ref", "the firing-rate cost", "--rate-cost");
    for (Map.Entry<String, String> e : flags.entrySet()) {
      if (message.startsWith(e.getKey() + " ")) {
        return e.getValue() + message.substring(e.getKey().length());
      }
    }
    return message;
  }

  /** The spiking part of model.json: the neuron constants, by name. */
  static Map<String, Object> json(SpikingConfig c) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("alif_units", c.adaptiveCount());
    j.put("tau_m", c.tauMembrane());
    j.put("tau_a", c.tauAdaptation());
    j.put("beta", c.beta());
    j.put("v_th", c.threshold());
    j.put("gamma", c.dampening());
    j.put("n_ref", c.refractory());
    j.put("tau_out", c.tauReadout());
    j.put("rate_cost", c.rateCost());
    j.put("target_rate", c.targetRate());
    return j;
  }
}
