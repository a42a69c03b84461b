package org.tca.rules.task;

import java.util.List;

/**
 * Parametric working memory (Romo et al. 1999), NeuroGym's {@code DelayComparison} at its
 * dt = 100 ms: two vibrotactile frequencies f_1, f_2 separated by a delay; report whether f_1 >
 * f_2. Epochs: fixation 5, first 5, delay 10, second 5, decision 1 steps. Inputs: 0
 * fixation (1 before the decision epoch), 1 the stimulus. Per trial a pair (h, l) is drawn
 * uniformly from the list ((18, 10), (22, 14), (26, 18), (30, 22), (34, 26)) Hz and its order
 * uniformly: (f_1, f_2) = (h, l) with label 1, or (l, h) with label 0. A frequency is shown as
 *
 * <pre>
 *   x_t[1] = (1 + (f - f_min) / (f_max - f_min)) / 2 + sigma N(0, 1),   sigma = 0.1,
 * </pre>
 *
 * in [1/2, 1] (f_min, f_max over all pairs), with f = f_1 in the first and f_2 in the second
 * stimulus epoch, 0 elsewhere. NeuroGym adds the noise to the fixation channel too; here only
 * the stimulus is noisy. Scored over the decision epoch.
 */
final class ParametricWorkingMemory {

  static final String NAME = "parametric-working-memory";

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      Epochs.spec("fixation", 5, "fixation period (>= 1)"),
      Epochs.spec("first", 5, "first stimulus f_1"),
      Epochs.spec("delay", 10, "delay between the stimuli"),
      Epochs.spec("second", 5, "second stimulus f_2"),
      Epochs.spec("decision", 1, "decision period, the response window (>= 1)"),
      new ParameterSpec("higher", "18,22,26,30,34", "the higher frequency h of each pair (Hz)"),
      new ParameterSpec("lower", "10,14,18,22,26", "the lower frequency l of each pair (Hz),"
          + " as many as higher, each below its h"),
      new ParameterSpec("noise", "0.1", "standard deviation of the stimulus noise per step"));

  private ParametricWorkingMemory() {}

  static Task create(TaskParameters p) {
    Epochs e = Epochs.of(p, "fixation", "first", "delay", "second", "decision");
    double[] high = p.reals("higher", 0, 1e6);
    double[] low = p.reals("lower", 0, 1e6);
    if (low.length != high.length) {
      throw p.error("lower", "must list as many frequencies as higher (" + high.length
          + "), got " + low.length);
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < high.length; k++) {
      if (!(low[k] < high[k])) {
        throw p.error("lower", "entry " + (k + 1) + " (" + low[k] + ") must be below its higher"
            + " frequency (" + high[k] + ")");
      }
      min = Math.min(min, low[k]);
      max = Math.max(max, high[k]);
    }
    double fMin = min;
    double range = max - min;
    double noise = p.real("noise", 0, 1e6);
    String desc = "parametric working memory: stimulus + fixation; " + e
        + "; label = f1 > f2 (1)";
    return Synthetic.task(NAME, p, desc, (split, stream, n) -> Synthetic.classification(split,
        stream, n, e.steps(), 2, 2, e.responseMask(), (r, x, base) -> {
          int pair = r.nextInt(high.length);
          boolean firstHigher = r.nextInt(2) == 1;
          double f1 = firstHigher ? high[pair] : low[pair];
          double f2 = firstHigher ? low[pair] : high[pair];
          e.fixation(x, base, 2);
          e.add(x, base, 2, "first", 1, (1 + (f1 - fMin) / range) / 2);
          e.add(x, base, 2, "second", 1, (1 + (f2 - fMin) / range) / 2);
          e.noise(r, x, base, 2, "first", 1, 2, noise);
          e.noise(r, x, base, 2, "second", 1, 2, noise);
          return firstHigher ? 1 : 0;
        }));
  }
}
