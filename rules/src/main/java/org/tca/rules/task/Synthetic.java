package org.tca.rules.task;

import java.util.ArrayList;
import java.util.List;
import org.tca.numerics.random.RandomStream;

/**
 * Shared machinery of the generated tasks. Randomness: the root stream
 * {@code R = new RandomStream(seed)} has one child per split, {@code R.child(TRAIN)},
 * {@code R.child(VALIDATION)}, {@code R.child(TEST)}, {@code R.child(SHIFTED)}, and trial j of a
 * split is generated from that split's {@code child(j)} alone. So splits are independent, a
 * trial does not depend on n (the first 100 trials of n = 1000 are the n = 100 set), and the
 * same seed gives the same bits on every machine.
 */
final class Synthetic {

  static final int TRAIN = 0;
  static final int VALIDATION = 1;
  static final int TEST = 2;
  static final int SHIFTED = 3;

  private Synthetic() {}

  /** Writes one trial's inputs at {@code x[base ..]} ([t][i]) and returns its label (or 0). */
  interface TrialWriter {
    int write(RandomStream rng, float[] x, int base);
  }

  /** Writes one trial's inputs at x[xBase ..] ([t][i]) and targets at y[yBase ..] ([t][k]). */
  interface RegressionWriter {
    void write(RandomStream rng, float[] x, int xBase, float[] y, int yBase);
  }

  /** Makes the n trials of one split from that split's stream. */
  interface SplitMaker {
    Dataset make(String split, RandomStream splitStream, int n);
  }

  /**
   * A task with train, (optional) validation and test splits made by {@code maker} from the
   * streams of {@code seed}, sized by n-train, n-validation and n-test; no shifted test set.
   */
  static Task task(String name, TaskParameters p, String description, SplitMaker maker) {
    long seed = p.longInteger("seed");
    int[] n = counts(p);
    Dataset train = maker.make("train", stream(seed, TRAIN), n[0]);
    Dataset val = n[1] == 0 ? null : maker.make("validation", stream(seed, VALIDATION), n[1]);
    Dataset test = maker.make("test", stream(seed, TEST), n[2]);
    return new Task(name, p, description, train, val, test, null, null);
  }

  /** seed, n-train, n-validation, n-test, then the task's own specs. */
  static List<ParameterSpec> specs(int nTrain, int nTest, ParameterSpec... own) {
    List<ParameterSpec> s = new ArrayList<>();
    s.add(new ParameterSpec("seed", "0", "seed of the data (train/validation/test/shifted"
        + " streams are derived children)"));
    s.add(new ParameterSpec("n-train", Integer.toString(nTrain), "trials in the finite training"
        + " set"));
    s.add(new ParameterSpec("n-validation", "0", "trials in the validation set (0: none)"));
    s.add(new ParameterSpec("n-test", Integer.toString(nTest), "trials in the test set"));
    s.addAll(List.of(own));
    return List.copyOf(s);
  }

  /** The stream of split {@code split} under {@code seed}. */
  static RandomStream stream(long seed, int split) {
    return new RandomStream(seed).child(split);
  }

  /** A classification set of n trials, trial j written from {@code splitStream.child(j)}. */
  static Dataset classification(String split, RandomStream splitStream, int n, int steps,
      int inputs, int classes, float[] mask, TrialWriter writer) {
    int per = Math.multiplyExact(steps, inputs);
    float[] data = new float[Math.multiplyExact(n, per)];
    int[] labels = new int[n];
    RandomStream r = new RandomStream(0);
    for (int j = 0; j < n; j++) {
      r.setToChild(splitStream, j);
      labels[j] = writer.write(r, data, j * per);
    }
    return Dataset.classification(split, steps, inputs, classes, mask,
        new DenseStore(data, n, steps, inputs), labels);
  }

  /**
   * A regression set of n trials with per-trial targets, trial j written from
   * {@code splitStream.child(j)}.
   */
  static Dataset regression(String split, RandomStream splitStream, int n, int steps,
      int inputs, int outputs, float[] mask, RegressionWriter writer) {
    int per = Math.multiplyExact(steps, inputs);
    int perY = Math.multiplyExact(steps, outputs);
    float[] data = new float[Math.multiplyExact(n, per)];
    float[] targets = new float[Math.multiplyExact(n, perY)];
    RandomStream r = new RandomStream(0);
    for (int j = 0; j < n; j++) {
      r.setToChild(splitStream, j);
      writer.write(r, data, j * per, targets, j * perY);
    }
    return Dataset.regression(split, steps, inputs, outputs, mask,
        new DenseStore(data, n, steps, inputs), targets, false);
  }

  /** A loss mask of T steps selecting the last k. */
  static float[] lastSteps(int steps, int k) {
    float[] m = new float[steps];
    for (int t = steps - k; t < steps; t++) {
      m[t] = 1f;
    }
    return m;
  }

  /** The most trials of a stored split. */
  static final int MAX_TRIALS = 10_000_000;

  /** The standard counts: n-train >= 1, n-validation >= 0, n-test >= 1. */
  static int[] counts(TaskParameters p) {
    return counts(p, MAX_TRIALS);
  }

  /** As {@link #counts(TaskParameters)}, each at most {@code max}. */
  static int[] counts(TaskParameters p, int max) {
    return new int[] {p.integer("n-train", 1, max), p.integer("n-validation", 0, max),
        p.integer("n-test", 1, max)};
  }
}
