package org.tca.rules.task;

import java.util.List;
import java.util.OptionalDouble;
import org.tca.numerics.random.RandomStream;

/**
 * Pattern generation (e-prop's regression benchmark): from Poisson spike input, produce a fixed
 * sum of sines at every step. Inputs: M = 100 channels, each spiking independently with
 * probability {@code r dt} per step (r = 50 Hz, dt = 1 ms), {@code x_t[i] in {0, 1}}; T = 1000.
 * Target, shared by all trials, for output k:
 *
 * <pre>
 *   y*_t[k] = sum_j A_kj sin(2 pi f_j t dt + phi_kj),   f = (1, 2, 3, 5) Hz,
 *   A_kj ~ U[0.5, 2),  phi_kj ~ U[0, 2 pi)   (drawn once from target-seed, not from seed)
 * </pre>
 *
 * Loss: MSE at every step.
 *
 * <p>Generalization gap. e-prop trains on one frozen Poisson pattern; then there is nothing to
 * generalize to. Here the training set is n-train frozen realisations of the input process
 * (drawn once from the seed and reused every epoch; n-train = 1 is e-prop's setting), and the
 * test set is n-test fresh realisations from an independent stream. A network that fits the
 * target by memorising its training spike trains does worse on fresh ones, so test minus train
 * MSE measures that reliance; the target itself never changes. Shifted test: fresh realisations
 * at another rate r'.
 */
final class PatternGeneration {

  static final String NAME = "pattern-generation";

  static final List<ParameterSpec> SPECS = Synthetic.specs(100, 100,
      new ParameterSpec("target-seed", "0", "seed of the target's amplitudes and phases (kept"
          + " apart from seed so runs with different data seeds share the target)"),
      new ParameterSpec("steps", "1000", "sequence length T"),
      new ParameterSpec("inputs", "100", "number of Poisson input channels M"),
      new ParameterSpec("rate", "50", "input firing rate r in Hz"),
      new ParameterSpec("dt", "1", "time step in ms"),
      new ParameterSpec("outputs", "1", "number of target signals N_out"),
      new ParameterSpec("frequencies", "1,2,3,5", "frequencies f_j of the sines, in Hz"),
      new ParameterSpec("amplitude-min", "0.5", "lower bound of the amplitudes A"),
      new ParameterSpec("amplitude-max", "2", "upper bound of the amplitudes A"),
      new ParameterSpec("shift-rate", "none", "input rate r' of the shifted test set in Hz"
          + " (none: no shifted set)"));

  private PatternGeneration() {}

  static Task create(TaskParameters p) {
    long seed = p.longInteger("seed");
    int[] n = Synthetic.counts(p);
    int steps = p.integer("steps", 1, 1_000_000);
    int inputs = p.integer("inputs", 1, 100_000);
    double dtMs = p.real("dt", Double.MIN_VALUE, 1e6);
    double prob = spikeProbability(p, "rate", p.real("rate", 0, 1e6), dtMs);
    int outputs = p.integer("outputs", 1, 10_000);
    double[] freqs = p.reals("frequencies", 0, 1e6);
    double aMin = p.real("amplitude-min", -1e6, 1e6);
    double aMax = p.real("amplitude-max", -1e6, 1e6);
    if (!(aMax > aMin)) {
      throw p.error("amplitude-max", "must exceed amplitude-min (" + aMin + "), got " + aMax);
    }
    OptionalDouble shift = p.optionalReal("shift-rate", 0, 1e6);
    float[] target = target(p.longInteger("target-seed"), steps, outputs, dtMs, freqs, aMin,
        aMax);
    float[] mask = Synthetic.lastSteps(steps, steps);
    Dataset train = make("train", Synthetic.stream(seed, Synthetic.TRAIN), n[0], steps, inputs,
        prob, mask, target, outputs);
    Dataset val = n[1] == 0 ? null : make("validation",
        Synthetic.stream(seed, Synthetic.VALIDATION), n[1], steps, inputs, prob, mask, target,
        outputs);
    Dataset test = make("test", Synthetic.stream(seed, Synthetic.TEST), n[2], steps, inputs, prob,
        mask, target, outputs);
    String desc = "pattern generation: " + inputs + " Poisson inputs at " + p.string("rate")
        + " Hz -> sum of sines (" + p.string("frequencies") + " Hz), T=" + steps + ", MSE";
    if (shift.isEmpty()) {
      return new Task(NAME, p, desc, train, val, test, null, null);
    }
    double shiftProb = spikeProbability(p, "shift-rate", shift.getAsDouble(), dtMs);
    return new Task(NAME, p, desc, train, val, test,
        () -> make("shifted-test", Synthetic.stream(seed, Synthetic.SHIFTED), n[2], steps, inputs,
            shiftProb, mask, target, outputs),
        "input rate " + shift.getAsDouble() + " Hz instead of " + p.string("rate"));
  }

  private static double spikeProbability(TaskParameters p, String name, double rateHz,
      double dtMs) {
    double prob = rateHz * dtMs / 1000;
    if (prob > 1) {
      throw p.error(name, "gives a spike probability r*dt = " + prob + " > 1 per step");
    }
    return prob;
  }

  /** The shared target [T][N_out] (see the class comment). */
  static float[] target(long targetSeed, int steps, int outputs, double dtMs, double[] freqs,
      double aMin, double aMax) {
    RandomStream r = new RandomStream(targetSeed).child(0);
    double[] amp = new double[outputs * freqs.length];
    double[] phase = new double[outputs * freqs.length];
    for (int k = 0; k < amp.length; k++) {
      amp[k] = aMin + (aMax - aMin) * r.nextDouble();
      phase[k] = 2 * Math.PI * r.nextDouble();
    }
    float[] y = new float[steps * outputs];
    for (int t = 0; t < steps; t++) {
      double seconds = t * dtMs / 1000;
      for (int k = 0; k < outputs; k++) {
        double s = 0;
        for (int j = 0; j < freqs.length; j++) {
          int a = k * freqs.length + j;
          s += amp[a] * StrictMath.sin(2 * Math.PI * freqs[j] * seconds + phase[a]);
        }
        y[t * outputs + k] = (float) s;
      }
    }
    return y;
  }

  static Dataset make(String split, RandomStream stream, int n, int steps, int inputs,
      double prob, float[] mask, float[] target, int outputs) {
    int per = Math.multiplyExact(steps, inputs);
    byte[] spikes = new byte[Math.multiplyExact(n, per)];
    RandomStream r = new RandomStream(0);
    for (int j = 0; j < n; j++) {
      r.setToChild(stream, j);
      int base = j * per;
      for (int e = 0; e < per; e++) {
        spikes[base + e] = r.nextDouble() < prob ? (byte) 1 : (byte) 0;
      }
    }
    return Dataset.regression(split, steps, inputs, outputs, mask,
        new ByteStore(spikes, 0, n, steps, inputs, 1), target, true);
  }
}
