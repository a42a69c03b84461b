package org.tca.rules.task;

import java.util.List;

/**
 * Context-dependent integration (Mante et al. 2013), NeuroGym's {@code ContextDecisionMaking}
 * with an explicit context cue, at its dt = 100 ms. Epochs: fixation 3, stimulus 8, delay 6,
 * decision 1 steps (NeuroGym draws the delay from a truncated exponential of mean 600 ms; here
 * it is fixed so that every trial has the same T). Inputs (7): 0 fixation (1 before the decision
 * epoch), 1-2 modality 1 (motion) and 3-4 modality 2 (colour) as rings of two, 5-6 the context
 * (one-hot, on for the whole trial). Per trial the choice g, an independent other choice o, the
 * context k and two coherences c_1, c_2 (percent, each uniform on (5, 15, 50)) are drawn; the
 * relevant modality k + 1 points at g, the other one at o. During the stimulus, for modality m
 * pointing at choice d_m,
 *
 * <pre>
 *   x_t[2m - 1 + j] = 1/2 + (c_m / 200) (j = d_m ? 1 : -1) + sigma N(0, 1),   sigma = 0.1.
 * </pre>
 *
 * The label is g: the choice the cued modality points at, ignoring the other (which agrees with
 * it on half of the trials). Scored over the decision epoch.
 */
final class ContextDecisionMaking {

  static final String NAME = "context-decision-making";

  private static final int INPUTS = 7;

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      Epochs.spec("fixation", 3, "fixation period (>= 1)"),
      Epochs.spec("stimulus", 8, "stimulus period (both modalities)"),
      Epochs.spec("delay", 6, "delay between stimulus and decision"),
      Epochs.spec("decision", 1, "decision period, the response window (>= 1)"),
      new ParameterSpec("coherences", "5,15,50", "coherence levels in percent, one drawn"
          + " uniformly per modality and trial"),
      new ParameterSpec("noise", "0.1", "standard deviation of the stimulus noise per step"));

  private ContextDecisionMaking() {}

  static Task create(TaskParameters p) {
    Epochs e = Epochs.of(p, "fixation", "stimulus", "delay", "decision");
    double[] cohs = p.reals("coherences", 0, 100);
    double noise = p.real("noise", 0, 1e6);
    String desc = "context-dependent integration: 2 modalities x 2 channels, 2 context channels"
        + " + fixation; " + e + "; label = the choice of the cued modality";
    return Synthetic.task(NAME, p, desc, (split, stream, n) -> Synthetic.classification(split,
        stream, n, e.steps(), INPUTS, 2, e.responseMask(), (r, x, base) -> {
          int g = r.nextInt(2);
          int other = r.nextInt(2);
          int context = r.nextInt(2);
          double[] c = {cohs[r.nextInt(cohs.length)], cohs[r.nextInt(cohs.length)]};
          e.fixation(x, base, INPUTS);
          for (int m = 0; m < 2; m++) {
            int d = m == context ? g : other;
            for (int j = 0; j < 2; j++) {
              double v = 0.5 + (j == d ? c[m] : -c[m]) / 200;
              e.add(x, base, INPUTS, "stimulus", 1 + 2 * m + j, v);
            }
          }
          for (int t = 0; t < e.steps(); t++) {
            x[base + t * INPUTS + 5 + context] = 1f;
          }
          e.noise(r, x, base, INPUTS, "stimulus", 1, 5, noise);
          return g;
        }));
  }
}
