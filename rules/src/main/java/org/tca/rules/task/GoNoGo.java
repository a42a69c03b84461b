package org.tca.rules.task;

import java.util.List;

/**
 * Go/no-go, NeuroGym's {@code GoNogo} at its dt = 100 ms: a go or a no-go stimulus, a delay,
 * then respond "go" or withhold. Epochs: fixation 2 (NeuroGym: 0), stimulus 5, delay 5, decision
 * 5 steps. Inputs: 0 fixation (1 before the decision epoch), 1 the no-go and 2 the go stimulus.
 * Per trial the label g is uniform on {0 (no-go: keep fixating), 1 (go)} and
 *
 * <pre>
 *   x_t[1 + g] = 1 + sigma N(0, 1) in the stimulus epoch,   sigma = 0.1
 * </pre>
 *
 * (noise on both stimulus channels; NeuroGym's version is noiseless, which leaves two distinct
 * trials and nothing to generalize). Scored over the decision epoch.
 */
final class GoNoGo {

  static final String NAME = "go-no-go";

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      Epochs.spec("fixation", 2, "fixation period (>= 1)"),
      Epochs.spec("stimulus", 5, "stimulus period"),
      Epochs.spec("delay", 5, "delay between stimulus and decision"),
      Epochs.spec("decision", 5, "decision period, the response window (>= 1)"),
      new ParameterSpec("noise", "0.1", "standard deviation of the stimulus noise per step"));

  private GoNoGo() {}

  static Task create(TaskParameters p) {
    Epochs e = Epochs.of(p, "fixation", "stimulus", "delay", "decision");
    double noise = p.real("noise", 0, 1e6);
    String desc = "go/no-go: no-go and go channels + fixation; " + e + "; label = go (1)";
    return Synthetic.task(NAME, p, desc, (split, stream, n) -> Synthetic.classification(split,
        stream, n, e.steps(), 3, 2, e.responseMask(), (r, x, base) -> {
          int g = r.nextInt(2);
          e.fixation(x, base, 3);
          e.add(x, base, 3, "stimulus", 1 + g, 1);
          e.noise(r, x, base, 3, "stimulus", 1, 3, noise);
          return g;
        }));
  }
}
