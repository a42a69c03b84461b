package org.tca.rules.task;

import java.util.List;
import java.util.OptionalInt;
import org.tca.numerics.random.RandomStream;

/**
 * Delayed XOR / match (as in Liu et al.'s released code): two input channels, T = F + C + D + C
 * steps (F leading baseline steps, default 0; two cue windows of C = 100 steps around a delay of
 * D = 700). Channel 0 may carry a cue in the first window [F, F + C), channel 1 in the last
 * window [T - C, T); each cue is present independently with probability p = 1/2. A cue is a
 * Gaussian bump over its window,
 *
 * <pre>
 *   x_t = baseline + [cue present] * A * exp(-s_j^2 / (2 sigma^2)) + noise * N(0, 1),
 *   s_j = -h + j * 2h / (C - 1),  h = floor(C / 2),  j = t - (window start)
 * </pre>
 *
 * with A = 2, sigma = 25 steps, baseline = 0.02, noise = 0.01, the noise on every entry. The
 * label is 1 when the two cues match (both present or both absent), 0 otherwise; the loss is at
 * the last step (or the last k steps). Shifted test: the same trials with another delay D'
 * (so T' = F + 2C + D').
 */
final class DelayedXor {

  static final String NAME = "delayed-xor";

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      new ParameterSpec("cue", "100", "steps of each cue window (C)"),
      new ParameterSpec("delay", "700", "steps between the cue windows (D)"),
      new ParameterSpec("fix", "0", "baseline-only steps before the first window (F)"),
      new ParameterSpec("amplitude", "2", "height of the Gaussian cue bump"),
      new ParameterSpec("std", "25", "width (standard deviation, in steps) of the bump"),
      new ParameterSpec("baseline", "0.02", "input level without a cue"),
      new ParameterSpec("noise", "0.01", "standard deviation of the Gaussian input noise"),
      new ParameterSpec("p-cue", "0.5", "probability that a window holds a cue"),
      new ParameterSpec("loss-steps", "1", "the loss is taken at the last this many steps"),
      new ParameterSpec("shift-delay", "none", "delay D' of the shifted test set (none: no"
          + " shifted set)"));

  private DelayedXor() {}

  /** The trial layout and signal constants. */
  record Layout(int fix, int cue, int delay, double amplitude, double std, double baseline,
      double noise, double pCue) {

    int steps() {
      return fix + 2 * cue + delay;
    }

    /** The bump height at position j of a window. */
    double[] bump() {
      double[] b = new double[cue];
      int h = cue / 2;
      for (int j = 0; j < cue; j++) {
        double s = cue == 1 ? 0 : -h + j * (2.0 * h) / (cue - 1);
        b[j] = amplitude * StrictMath.exp(-s * s / (2 * std * std));
      }
      return b;
    }

    Layout withDelay(int d) {
      return new Layout(fix, cue, d, amplitude, std, baseline, noise, pCue);
    }
  }

  static Task create(TaskParameters p) {
    long seed = p.longInteger("seed");
    int[] n = Synthetic.counts(p);
    int max = 1_000_000;
    Layout l = new Layout(p.integer("fix", 0, max), p.integer("cue", 1, max),
        p.integer("delay", 0, max), p.real("amplitude", -1e6, 1e6),
        p.real("std", Double.MIN_VALUE, 1e6), p.real("baseline", -1e6, 1e6),
        p.real("noise", 0, 1e6), p.real("p-cue", 0, 1));
    int lossSteps = p.integer("loss-steps", 1, l.steps());
    OptionalInt shift = p.optionalInteger("shift-delay", 0, max);
    Dataset train = make("train", Synthetic.stream(seed, Synthetic.TRAIN), n[0], l, lossSteps);
    Dataset val = n[1] == 0 ? null
        : make("validation", Synthetic.stream(seed, Synthetic.VALIDATION), n[1], l, lossSteps);
    Dataset test = make("test", Synthetic.stream(seed, Synthetic.TEST), n[2], l, lossSteps);
    String desc = "delayed XOR: 2 channels, cue windows of " + l.cue() + " steps around a "
        + l.delay() + "-step delay, T=" + l.steps() + ", label = cues match";
    if (shift.isEmpty()) {
      return new Task(NAME, p, desc, train, val, test, null, null);
    }
    Layout s = l.withDelay(shift.getAsInt());
    return new Task(NAME, p, desc, train, val, test,
        () -> make("shifted-test", Synthetic.stream(seed, Synthetic.SHIFTED), n[2], s,
            Math.min(lossSteps, s.steps())),
        "delay " + s.delay() + " instead of " + l.delay() + " (T=" + s.steps() + ")");
  }

  static Dataset make(String split, RandomStream stream, int n, Layout l, int lossSteps) {
    int steps = l.steps();
    double[] bump = l.bump();
    int second = steps - l.cue();
    return Synthetic.classification(split, stream, n, steps, 2, 2,
        Synthetic.lastSteps(steps, lossSteps), (r, x, base) -> {
          boolean cue1 = r.nextDouble() < l.pCue();
          boolean cue2 = r.nextDouble() < l.pCue();
          for (int t = 0; t < steps; t++) {
            double s0 = l.baseline();
            double s1 = l.baseline();
            if (cue1 && t >= l.fix() && t < l.fix() + l.cue()) {
              s0 += bump[t - l.fix()];
            }
            if (cue2 && t >= second) {
              s1 += bump[t - second];
            }
            x[base + 2 * t] = (float) (s0 + l.noise() * r.nextGaussian());
            x[base + 2 * t + 1] = (float) (s1 + l.noise() * r.nextGaussian());
          }
          return cue1 == cue2 ? 1 : 0;
        });
  }
}
