package org.tca.rules.task;

import java.util.List;
import java.util.OptionalInt;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.spiking.PoissonEvidenceEncoding;

/**
 * Evidence accumulation, a rate version of e-prop's task (Bellec et al. 2020, after Morcos and
 * Harvey 2016). Four input channels: 0 left cue, 1 right cue, 2 recall, 3 background. K = 7
 * cues, cue k occupying steps {@code [I - C + k I, I - C + k I + C)} (C = 100 cue steps in
 * intervals of I = 150, as in e-prop's code), then a delay of D = 1050 steps, then a recall
 * window of R = 150 steps: T = K I + D + R (2250 by default). Per trial, a bias q is drawn as
 * {@code p} or {@code 1 - p} with probability 1/2 each (p = 0.3), and each cue is right with
 * probability q, left otherwise. Inputs:
 *
 * <pre>
 *   x_t[c] = A [c = side of the cue active at t] + A [c = 2, t in the recall window]
 *            + (A / 4) [c = 3] + noise * N(0, 1)
 * </pre>
 *
 * with A = 1 (the background channel stands for e-prop's f0/4 background rate) and noise = 0.1.
 * The label is 1 when most cues were right (K odd: no ties), 0 otherwise; the loss is at the
 * last step (or the last k steps of the recall window). Shifted test: another delay D'.
 *
 * <p>{@code encoding=poisson} is the published spiking form of the same trials (Bellec et al.
 * 2020, Fig. 3; dt = 1 ms): 40 Poisson channels in four groups of 10 (left cues, right cues,
 * recall, background), x_t[i] in {0, 1}. A group fires with probability r_s dt per step while its
 * cue (or the recall window) is on, r_s = {@code signal-rate} Hz (40), and the background group
 * fires at r_n = {@code noise-rate} Hz (10) throughout; cue times, sides, labels and the loss
 * steps are those of the rate encoding. The default delay gives the paper's T = 2250.
 *
 * <p>{@code trials=generated} holds no spikes: trial j of a split is regenerated from the
 * split's stream child j whenever it is gathered ({@link GeneratedStore}), bit-identical to the
 * stored trial j, so {@code n-train} may be up to 2^31 - 1 and the trainer walks the set in
 * order ({@link MinibatchSampler#of}): iteration i trains on trials iB .. iB + B - 1, fresh
 * trials every iteration as in e-prop (Bellec et al. 2020), while the test set is the stored
 * one's.
 */
final class EvidenceAccumulation {

  static final String NAME = "evidence-accumulation";

  static final List<ParameterSpec> SPECS = Synthetic.specs(1000, 1000,
      new ParameterSpec("cues", "7", "number of cues K (odd)"),
      new ParameterSpec("cue", "100", "steps each cue is shown (C)"),
      new ParameterSpec("interval", "150", "steps from one cue onset to the next (I >= C)"),
      new ParameterSpec("delay", "1050", "steps between the last cue interval and recall (D)"),
      new ParameterSpec("recall", "150", "steps of the recall window at the end (R)"),
      new ParameterSpec("p-group", "0.3", "cue-side probability of the minority side"),
      new ParameterSpec("amplitude", "1", "input level of an active channel (A)"),
      new ParameterSpec("noise", "0.1", "standard deviation of the Gaussian input noise"),
      new ParameterSpec("loss-steps", "1", "the loss is taken at the last this many steps"
          + " (at most R)"),
      new ParameterSpec("shift-delay", "none", "delay D' of the shifted test set (none: no"
          + " shifted set)"),
      new ParameterSpec("encoding", "rate", "rate (4 analogue channels) or poisson (40 spiking"
          + " channels, the published spiking form)"),
      new ParameterSpec("signal-rate", "40", "poisson: firing rate of an active cue or recall"
          + " group, Hz"),
      new ParameterSpec("noise-rate", "10", "poisson: firing rate of the background group, Hz"),
      new ParameterSpec("trials", "stored", "poisson: stored (each split's spikes held, n x T x"
          + " 40 bytes) or generated (each trial regenerated from (seed, index) when gathered,"
          + " the same bits, nothing stored; n-train up to 2147483647, walked in order: fresh"
          + " trials every iteration)"));

  private EvidenceAccumulation() {}

  /** The trial layout and signal constants. */
  record Layout(int cues, int cue, int interval, int delay, int recall, double pGroup,
      double amplitude, double noise, Poisson poisson, boolean generated) {

    int steps() {
      return cues * interval + delay + recall;
    }

    /** First step of cue k. */
    int cueStart(int k) {
      return interval - cue + k * interval;
    }

    Layout withDelay(int d) {
      return new Layout(cues, cue, interval, d, recall, pGroup, amplitude, noise, poisson,
          generated);
    }
  }

  /** The spiking encoding's per-step spike probabilities (signal, background); null: rate. */
  record Poisson(double signal, double noise) {}

  /** Channels per group of the spiking encoding. */
  static final int GROUP = PoissonEvidenceEncoding.CHANNELS / 4;

  static Task create(TaskParameters p) {
    long seed = p.longInteger("seed");
    String trials = p.string("trials");
    if (!trials.equals("stored") && !trials.equals("generated")) {
      throw p.error("trials", "must be stored or generated, got '" + trials + "'");
    }
    boolean generated = trials.equals("generated");
    if (generated && !p.string("encoding").equals("poisson")) {
      throw p.error("trials", "generated needs encoding=poisson (the rate encoding is stored)");
    }
    int[] n = Synthetic.counts(p, generated ? Integer.MAX_VALUE : Synthetic.MAX_TRIALS);
    int max = 1_000_000;
    int cues = p.integer("cues", 1, 1001);
    if (cues % 2 == 0) {
      throw p.error("cues", "must be odd so that there is always a majority, got " + cues);
    }
    int cue = p.integer("cue", 1, max);
    int interval = p.integer("interval", 1, max);
    if (interval < cue) {
      throw p.error("interval", "must be >= cue (" + cue + "), got " + interval);
    }
    int recall = p.integer("recall", 1, max);
    String encoding = p.string("encoding");
    if (!encoding.equals("rate") && !encoding.equals("poisson")) {
      throw p.error("encoding", "must be rate or poisson, got '" + encoding + "'");
    }
    Poisson poisson = encoding.equals("rate") ? null
        : new Poisson(p.real("signal-rate", 0, 1000) / 1000, p.real("noise-rate", 0, 1000) / 1000);
    Layout l = new Layout(cues, cue, interval, p.integer("delay", 0, max), recall,
        p.real("p-group", 0, 1), p.real("amplitude", -1e6, 1e6), p.real("noise", 0, 1e6),
        poisson, generated);
    int lossSteps = p.integer("loss-steps", 1, recall);
    OptionalInt shift = p.optionalInteger("shift-delay", 0, max);
    Dataset train = make("train", Synthetic.stream(seed, Synthetic.TRAIN), n[0], l, lossSteps);
    Dataset val = n[1] == 0 ? null
        : make("validation", Synthetic.stream(seed, Synthetic.VALIDATION), n[1], l, lossSteps);
    Dataset test = make("test", Synthetic.stream(seed, Synthetic.TEST), n[2], l, lossSteps);
    String desc = "evidence accumulation: " + cues + " left/right cues, " + l.delay()
        + "-step delay, recall; T=" + l.steps() + ", label = majority side (1: right)"
        + (poisson == null ? "" : ", 40 Poisson input channels");
    if (shift.isEmpty()) {
      return new Task(NAME, p, desc, train, val, test, null, null);
    }
    Layout s = l.withDelay(shift.getAsInt());
    return new Task(NAME, p, desc, train, val, test,
        () -> make("shifted-test", Synthetic.stream(seed, Synthetic.SHIFTED), n[2], s,
            lossSteps),
        "delay " + s.delay() + " instead of " + l.delay() + " (T=" + s.steps() + ")");
  }

  static Dataset make(String split, RandomStream stream, int n, Layout l, int lossSteps) {
    if (l.poisson() != null) {
      return makePoisson(split, stream, n, l, lossSteps);
    }
    int steps = l.steps();
    int recallStart = steps - l.recall();
    float background = (float) (l.amplitude() / 4);
    return Synthetic.classification(split, stream, n, steps, 4, 2,
        Synthetic.lastSteps(steps, lossSteps), (r, x, base) -> {
          double q = r.nextDouble() < 0.5 ? l.pGroup() : 1 - l.pGroup();
          int right = 0;
          for (int k = 0; k < l.cues(); k++) {
            boolean isRight = r.nextDouble() < q;
            right += isRight ? 1 : 0;
            int channel = isRight ? 1 : 0;
            for (int t = l.cueStart(k); t < l.cueStart(k) + l.cue(); t++) {
              x[base + 4 * t + channel] = (float) l.amplitude();
            }
          }
          for (int t = recallStart; t < steps; t++) {
            x[base + 4 * t + 2] = (float) l.amplitude();
          }
          for (int t = 0; t < steps; t++) {
            x[base + 4 * t + 3] = background;
            for (int c = 0; c < 4; c++) {
              x[base + 4 * t + c] = (float) (x[base + 4 * t + c] + l.noise() * r.nextGaussian());
            }
          }
          return 2 * right > l.cues() ? 1 : 0;
        });
  }

  /**
   * The spiking encoding (class comment): trial j from {@code stream.child(j)}, stored as bytes,
   * or generated when gathered ({@code trials=generated}; the same bits).
   */
  static Dataset makePoisson(String split, RandomStream stream, int n, Layout l, int lossSteps) {
    int steps = l.steps();
    int channels = PoissonEvidenceEncoding.CHANNELS;
    float[] mask = Synthetic.lastSteps(steps, lossSteps);
    GeneratedStore.Source source = new GeneratedStore.Source() {
      @Override
      public int write(RandomStream rng, byte[] dst, int[] scratch) {
        return writePoisson(rng, l, dst, 0, scratch);
      }

      @Override
      public int scratchInts() {
        return steps;
      }
    };
    if (l.generated()) {
      return Dataset.generated(split, steps, channels, 2, mask,
          new GeneratedStore(stream, n, steps, channels, source));
    }
    int per = Math.multiplyExact(steps, channels);
    byte[] spikes = new byte[Math.multiplyExact(n, per)];
    int[] labels = new int[n];
    int[] group = new int[steps];
    RandomStream r = new RandomStream(0);
    for (int j = 0; j < n; j++) {
      r.setToChild(stream, j);
      labels[j] = writePoisson(r, l, spikes, j * per, group);
    }
    return Dataset.classification(split, steps, channels, 2, mask,
        new ByteStore(spikes, 0, n, steps, channels, 1), labels);
  }

  /**
   * One spiking trial from {@code r} into {@code spikes[base + t * 40 + i]} (zero on entry),
   * returning its label: the bias and the cue sides drawn as in the rate encoding, then one
   * uniform draw per (step, channel) whose group is active or background, in step-major order.
   * {@code group} is T ints of scratch.
   */
  private static int writePoisson(RandomStream r, Layout l, byte[] spikes, int base,
      int[] group) {
    int steps = l.steps();
    int channels = PoissonEvidenceEncoding.CHANNELS;
    double q = r.nextDouble() < 0.5 ? l.pGroup() : 1 - l.pGroup();
    java.util.Arrays.fill(group, -1);
    int right = 0;
    for (int k = 0; k < l.cues(); k++) {
      int side = r.nextDouble() < q ? 1 : 0;
      right += side;
      java.util.Arrays.fill(group, l.cueStart(k), l.cueStart(k) + l.cue(), side);
    }
    java.util.Arrays.fill(group, steps - l.recall(), steps, 2);
    for (int t = 0; t < steps; t++) {
      for (int g = 0; g < 4; g++) {
        double prob = g == 3 ? l.poisson().noise() : g == group[t] ? l.poisson().signal() : 0;
        if (prob > 0) {
          for (int ch = g * GROUP; ch < (g + 1) * GROUP; ch++) {
            if (r.nextDouble() < prob) {
              spikes[base + t * channels + ch] = 1;
            }
          }
        }
      }
    }
    return 2 * right > l.cues() ? 1 : 0;
  }
}
