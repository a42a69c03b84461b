package org.tca.rules.task;

import java.util.List;

/**
 * Ready-set-go interval reproduction (Jazayeri and Shadlen 2010), NeuroGym's {@code ReadySetGo}
 * at its dt = 80 ms: a ready and a set pulse m steps apart; produce the interval g m after set.
 * Per trial m is uniform on the integers [10, 18] (NeuroGym: 800-1500 ms); g = 1. Inputs: 0
 * fixation, 1 ready, 2 set. The set onset s = F + m_max is the same in every trial (the
 * fixation before ready lasts F + m_max - m >= F = 5 steps), so the response window [s, T),
 * T = s + P, P = ceil(2 g m_max) (NeuroGym's production period of twice the interval), is
 * fixed and is the loss mask:
 *
 * <pre>
 *   x_t[0] = [t &lt; s],   x_t[1] = [s - m &lt;= t &lt; s - m + ready],
 *   x_t[2] = [s &lt;= t &lt; s + set],
 *   y*_t   = min(1, (t - s) / (g m))   for t >= s   (0 before),
 * </pre>
 *
 * plus sigma N(0, 1) on the ready and set channels at every step (sigma = 0.1; NeuroGym's inputs
 * are noiseless, which leaves m_max - m_min + 1 distinct trials and nothing to generalize);
 * ready = set = 1 step. The output ramps from the set cue and reaches 1 (the "go" threshold) at
 * the produced time s + g m, then holds it; NeuroGym instead asks for a single "go" action at
 * that step, which a regression readout cannot express. Regression: MSE over the response window.
 */
final class ReadySetGo {

  static final String NAME = "ready-set-go";

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      Epochs.spec("fixation", 5, "shortest fixation period before the ready cue (>= 1)"),
      Epochs.spec("ready", 1, "ready pulse (>= 1, at most measure-min)"),
      new ParameterSpec("measure-min", "10", "shortest ready-to-set interval m (steps)"),
      new ParameterSpec("measure-max", "18", "longest ready-to-set interval m (steps)"),
      Epochs.spec("set", 1, "set pulse (>= 1)"),
      new ParameterSpec("gain", "1", "produced interval / measured interval g"),
      new ParameterSpec("noise", "0.1", "standard deviation of the noise on the ready and set"
          + " channels per step"));

  private ReadySetGo() {}

  static Task create(TaskParameters p) {
    int max = 1_000_000;
    int fixation = p.integer("fixation", 1, max);
    int mMin = p.integer("measure-min", 1, max);
    int mMax = p.integer("measure-max", mMin, max);
    int ready = p.integer("ready", 1, mMin);
    double gain = p.real("gain", 1e-3, 1e3);
    int production = (int) Math.ceil(2 * gain * mMax);
    int set = p.integer("set", 1, production);
    double noise = p.real("noise", 0, 1e6);
    int s = fixation + mMax;
    int steps = s + production;
    float[] mask = new float[steps];
    java.util.Arrays.fill(mask, s, steps, 1f);
    String desc = "ready-set-go: fixation, ready, set channels; interval m in [" + mMin + ", "
        + mMax + "], produce " + gain + " m after set; T=" + steps + "; MSE";
    return Synthetic.task(NAME, p, desc, (split, stream, n) -> Synthetic.regression(split,
        stream, n, steps, 3, 1, mask, (r, x, xb, y, yb) -> {
          int m = mMin + r.nextInt(mMax - mMin + 1);
          for (int t = 0; t < steps; t++) {
            x[xb + 3 * t] = t < s ? 1f : 0f;
            x[xb + 3 * t + 1] = t >= s - m && t < s - m + ready ? 1f : 0f;
            x[xb + 3 * t + 2] = t >= s && t < s + set ? 1f : 0f;
            y[yb + t] = t < s ? 0f : (float) Math.min(1, (t - s) / (gain * m));
          }
          if (noise > 0) {
            for (int t = 0; t < steps; t++) {
              for (int c = 1; c < 3; c++) {
                x[xb + 3 * t + c] = (float) (x[xb + 3 * t + c] + noise * r.nextGaussian());
              }
            }
          }
        }));
  }
}
