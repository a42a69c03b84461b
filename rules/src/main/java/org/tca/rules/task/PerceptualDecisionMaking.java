package org.tca.rules.task;

import java.util.List;

/**
 * Perceptual decision making, NeuroGym's {@code PerceptualDecisionMaking} (two-alternative
 * forced choice on noisy motion evidence, after Britten et al. 1992) at its dt = 100 ms, one step
 * per dt. Epochs: fixation F = 1, stimulus S = 20, delay D = 0, decision R = 1 steps. Inputs: 0
 * fixation (1 before the decision epoch, 0 in it: the go cue), 1 and 2 the evidence for choices
 * 0 and 1. Per trial the choice g is uniform on {0, 1} and the coherence c (percent) uniform on
 * the list (0, 6.4, 12.8, 25.6, 51.2); during the stimulus
 *
 * <pre>
 *   x_t[1 + k] = 1/2 + (c / 200) (k = g ? 1 : -1) + sigma N(0, 1),   sigma = 0.1
 * </pre>
 *
 * (NeuroGym's cos(theta_k - theta_g) c / 200 + 1/2 on a ring of two, and its noise sigma /
 * sqrt(dt) with sigma = 1). The label is g, scored by cross-entropy over the decision epoch. At
 * c = 0 the label is a coin flip, so no network reaches accuracy 1.
 */
final class PerceptualDecisionMaking {

  static final String NAME = "perceptual-decision-making";

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      Epochs.spec("fixation", 1, "fixation period (F, >= 1)"),
      Epochs.spec("stimulus", 20, "stimulus period (S)"),
      Epochs.spec("delay", 0, "delay between stimulus and decision (D)"),
      Epochs.spec("decision", 1, "decision period, the response window (R, >= 1)"),
      new ParameterSpec("coherences", "0,6.4,12.8,25.6,51.2", "coherence levels c in percent,"
          + " one drawn uniformly per trial"),
      new ParameterSpec("noise", "0.1", "standard deviation of the evidence noise per step"));

  private PerceptualDecisionMaking() {}

  static Task create(TaskParameters p) {
    Epochs e = Epochs.of(p, "fixation", "stimulus", "delay", "decision");
    double[] cohs = p.reals("coherences", 0, 100);
    double noise = p.real("noise", 0, 1e6);
    String desc = "perceptual decision making: 2 evidence channels + fixation; " + e
        + "; label = the stronger channel";
    return Synthetic.task(NAME, p, desc, (split, stream, n) -> Synthetic.classification(split,
        stream, n, e.steps(), 3, 2, e.responseMask(), (r, x, base) -> {
          int g = r.nextInt(2);
          double c = cohs[r.nextInt(cohs.length)];
          e.fixation(x, base, 3);
          for (int k = 0; k < 2; k++) {
            e.add(x, base, 3, "stimulus", 1 + k, 0.5 + (k == g ? c : -c) / 200);
          }
          e.noise(r, x, base, 3, "stimulus", 1, 3, noise);
          return g;
        }));
  }
}
