package org.tca.rules.task;

import java.util.List;

/**
 * Delayed match-to-sample, NeuroGym's {@code DelayMatchSample} (after Miller et al. 1996) at its
 * dt = 100 ms. Epochs: fixation 3, sample 5, delay 10, test 5, decision 9 steps. Inputs: 0
 * fixation (1 before the decision epoch), then M = 2 ring channels at angles theta_i = 2 pi i / M.
 * Per trial the sample angle theta_s is uniform on the ring and the trial is a match with
 * probability 1/2; the test angle is theta_s (match) or theta_s + pi (non-match). The ring shows
 *
 * <pre>
 *   x_t[1 + i] = 1/2 + 1/2 cos(theta_i - theta) + sigma N(0, 1),   sigma = 0.1,
 * </pre>
 *
 * with theta = theta_s in the sample epoch and the test angle in the test epoch (baseline 0
 * elsewhere). The label is 1 for a match, 0 for a non-match, scored over the decision epoch.
 */
final class DelayMatchSample {

  static final String NAME = "delay-match-sample";

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      Epochs.spec("fixation", 3, "fixation period (>= 1)"),
      Epochs.spec("sample", 5, "sample stimulus"),
      Epochs.spec("delay", 10, "delay between sample and test"),
      Epochs.spec("test", 5, "test stimulus"),
      Epochs.spec("decision", 9, "decision period, the response window (>= 1)"),
      new ParameterSpec("ring", "2", "number M of ring channels (stimulus angles)"),
      new ParameterSpec("noise", "0.1", "standard deviation of the stimulus noise per step"));

  private DelayMatchSample() {}

  static Task create(TaskParameters p) {
    Epochs e = Epochs.of(p, "fixation", "sample", "delay", "test", "decision");
    int ring = p.integer("ring", 2, 1000);
    double noise = p.real("noise", 0, 1e6);
    int inputs = 1 + ring;
    String desc = "delayed match-to-sample: " + ring + " ring channels + fixation; " + e
        + "; label = test matches sample (1)";
    return Synthetic.task(NAME, p, desc, (split, stream, n) -> Synthetic.classification(split,
        stream, n, e.steps(), inputs, 2, e.responseMask(), (r, x, base) -> {
          double sample = 2 * Math.PI * r.nextInt(ring) / ring;
          boolean match = r.nextInt(2) == 1;
          double test = match ? sample : sample + Math.PI;
          e.fixation(x, base, inputs);
          for (int i = 0; i < ring; i++) {
            double theta = 2 * Math.PI * i / ring;
            e.add(x, base, inputs, "sample", 1 + i, 0.5 + 0.5 * StrictMath.cos(theta - sample));
            e.add(x, base, inputs, "test", 1 + i, 0.5 + 0.5 * StrictMath.cos(theta - test));
          }
          e.noise(r, x, base, inputs, "sample", 1, inputs, noise);
          e.noise(r, x, base, inputs, "test", 1, inputs, noise);
          return match ? 1 : 0;
        }));
  }
}
