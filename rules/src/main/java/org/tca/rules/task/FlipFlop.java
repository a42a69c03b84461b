package org.tca.rules.task;

import java.util.List;

/**
 * The K-bit flip-flop (Sussillo and Barak 2013; K = 3): K input channels carry sparse +1/-1
 * pulses, and output k must hold the sign of the latest pulse on channel k. A trial is a fixation
 * period of F = 5 quiet, unscored steps, then a response window of R = 45 steps: at its first
 * step every channel pulses (so every bit is set), after that each channel pulses independently
 * with probability p = 0.05 per step; a pulse lasts one step and its sign is +1 or -1 with
 * probability 1/2. With s_k(t) the sign of the latest pulse on channel k at or before step t,
 *
 * <pre>
 *   x_t[k] = A s_k(t) [pulse on k at t] + sigma N(0, 1),   y*_t[k] = s_k(t)   (t >= F),
 * </pre>
 *
 * A = 1, sigma = 0 (y*_t = 0 in the fixation period). Regression: MSE over the response window
 * (the loss mask), T = F + R.
 */
final class FlipFlop {

  static final String NAME = "flip-flop";

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      new ParameterSpec("bits", "3", "number K of bits (input channels = outputs)"),
      Epochs.spec("fixation", 5, "quiet, unscored period before the first pulses (>= 1)"),
      Epochs.spec("response", 45, "response window, from the first pulses to the end (>= 1)"),
      new ParameterSpec("p-pulse", "0.05", "probability that a channel pulses at a step after"
          + " the first"),
      new ParameterSpec("amplitude", "1", "height A of a pulse"),
      new ParameterSpec("noise", "0", "standard deviation of the Gaussian input noise"));

  private FlipFlop() {}

  static Task create(TaskParameters p) {
    int bits = p.integer("bits", 1, 1000);
    Epochs e = Epochs.of(p, "fixation", "response");
    double pPulse = p.real("p-pulse", 0, 1);
    double amplitude = p.real("amplitude", -1e6, 1e6);
    double noise = p.real("noise", 0, 1e6);
    int steps = e.steps();
    int first = e.start("response");
    String desc = bits + "-bit flip-flop: +-1 pulses, hold the sign of the latest; " + e
        + "; MSE";
    return Synthetic.task(NAME, p, desc, (split, stream, n) -> Synthetic.regression(split,
        stream, n, steps, bits, bits, e.responseMask(), (r, x, xb, y, yb) -> {
          for (int t = first; t < steps; t++) {
            for (int k = 0; k < bits; k++) {
              float held = t == first ? 0f : y[yb + (t - 1) * bits + k];
              if (t == first || r.nextDouble() < pPulse) {
                held = r.nextInt(2) == 1 ? 1f : -1f;
                x[xb + t * bits + k] = (float) (amplitude * held);
              }
              y[yb + t * bits + k] = held;
            }
          }
          e.noise(r, x, xb, bits, "fixation", 0, bits, noise);
          e.noise(r, x, xb, bits, "response", 0, bits, noise);
        }));
  }
}
