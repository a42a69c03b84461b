package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.rules.task.TaskTestSupport.create;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code evidence-accumulation --encoding poisson --trials generated}: trials regenerated from
 * (seed, index) when gathered, nothing stored; bit-identical to the stored set of the same seed,
 * whatever the order or thread that gathers them, with the published statistics at any index.
 */
class GeneratedTrialsTest {

  private static final int MAX = Integer.MAX_VALUE;
  private static final String[] LAYOUT = {"cue", "20", "interval", "30", "delay", "40", "recall",
      "20", "loss-steps", "20", "encoding", "poisson", "n-test", "50"};

  private static Task task(String... extra) {
    String[] a = java.util.Arrays.copyOf(LAYOUT, LAYOUT.length + extra.length);
    System.arraycopy(extra, 0, a, LAYOUT.length, extra.length);
    return create("evidence-accumulation", a);
  }

  private static Task generated(int nTrain) {
    return task("trials", "generated", "n-train", Integer.toString(nTrain));
  }

  /** Gathers the given trials (in that order) into a fresh f32 batch; returns inputs, labels. */
  private static float[] gather(Dataset d, int[] trials, int[] labels) {
    float[] x = new float[d.steps() * trials.length * d.inputSize()];
    d.gather(trials, 0, trials.length, x, labels, null);
    return x;
  }

  /** Trial b's inputs out of a time-major batch of B. */
  private static float[] trialOf(Dataset d, float[] x, int b, int batch) {
    int in = d.inputSize();
    float[] out = new float[d.steps() * in];
    for (int t = 0; t < d.steps(); t++) {
      System.arraycopy(x, (t * batch + b) * in, out, t * in, in);
    }
    return out;
  }

  @Test
  void generatedTrialsAreTheStoredTrialsOfTheSameSeed() {
    Task stored = task("n-train", "300", "seed", "5");
    Task gen = task("trials", "generated", "n-train", Integer.toString(MAX), "seed", "5");
    assertTrue(gen.train().generated() && !stored.train().generated());
    assertEquals(MAX, gen.train().size());
    for (Dataset[] pair : new Dataset[][] {{stored.train(), gen.train()},
        {stored.test(), gen.test()}}) {
      int n = pair[0].size();
      int[] all = new int[n];
      java.util.Arrays.setAll(all, k -> k);
      int[] la = new int[n];
      int[] lb = new int[n];
      assertArrayEquals(gather(pair[0], all, la), gather(pair[1], all, lb), pair[0].split());
      assertArrayEquals(la, lb, pair[0].split() + " labels");
      double[] xa = new double[pair[0].steps() * n * 40];
      double[] xb = new double[xa.length];
      pair[0].gather(null, 0, n, xa, null, null);
      pair[1].gather(null, 0, n, xb, null, null);
      assertArrayEquals(xa, xb, pair[0].split() + " in f64");
      assertEquals(pair[0].label(n - 1), pair[1].label(n - 1));
      assertEquals(pair[0].input(n - 1, 3, 35), pair[1].input(n - 1, 3, 35));
    }
  }

  /**
   * The stored set's bits are those main 3df531d made before the generated store shared its
   * trial writer (a hash of the gathered f32 inputs and labels of 300 training and 50 test
   * trials, seed 5, computed with that commit's EvidenceAccumulation); generated, the same.
   */
  @Test
  void storedBitsAreUnchanged() {
    for (Task t : new Task[] {task("n-train", "300", "seed", "5"),
        task("trials", "generated", "n-train", "300", "seed", "5")}) {
      long h = 0;
      for (Dataset d : new Dataset[] {t.train(), t.test()}) {
        int[] labels = new int[d.size()];
        float[] x = new float[d.steps() * d.size() * 40];
        d.gather(null, 0, d.size(), x, labels, null);
        h = h * 31 + java.util.Arrays.hashCode(x);
        h = h * 31 + java.util.Arrays.hashCode(labels);
      }
      assertEquals(53884627835226L, h, t.train().generated() ? "generated" : "stored");
    }
  }

  @Test
  void distinctIndicesAreDistinctTrials() {
    Dataset d = generated(MAX).train();
    int[] far = {0, 1, MAX - 1, 1 << 30};
    float[] x = gather(d, far, new int[far.length]);
    for (int a = 0; a < far.length; a++) {
      for (int b = a + 1; b < far.length; b++) {
        assertFalse(java.util.Arrays.equals(trialOf(d, x, a, far.length),
            trialOf(d, x, b, far.length)), "trials " + far[a] + " and " + far[b]);
      }
    }
    assertFalse(java.util.Arrays.equals(gather(d, new int[] {7}, null),
        gather(generated(MAX).test(), new int[] {7}, null)), "train and test streams differ");
  }

  /** Trial k has the same bits gathered alone, in any order, repeated, or from 4 threads. */
  @Test
  @Timeout(60)
  void aTrialIsTheSameWhateverOrderOrThreadGathersIt() throws Exception {
    Dataset d = generated(MAX).train();
    int[] trials = {MAX - 1, 3, 1_000_000_007, 3, 0, 42};
    int[] labels = new int[trials.length];
    float[] batch = gather(d, trials, labels);
    for (int b = 0; b < trials.length; b++) {
      int[] one = new int[1];
      assertArrayEquals(gather(d, new int[] {trials[b]}, one), trialOf(d, batch, b,
          trials.length), "trial " + trials[b]);
      assertEquals(labels[b], one[0]);
      assertEquals(labels[b], d.label(trials[b]));
    }
    int[] reversed = new int[trials.length];
    for (int b = 0; b < trials.length; b++) {
      reversed[b] = trials[trials.length - 1 - b];
    }
    float[] back = gather(d, reversed, null);
    for (int b = 0; b < trials.length; b++) {
      assertArrayEquals(trialOf(d, batch, b, trials.length),
          trialOf(d, back, trials.length - 1 - b, trials.length));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int r = 0; r < 16; r++) {
        futures.add(pool.submit(() -> gather(d, trials, null)));
      }
      for (Future<float[]> f : futures) {
        assertArrayEquals(batch, f.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Far into an unbounded set, 400 trials have the encoding's statistics: each cue window drives
   * exactly one of the left and right groups, at 40 Hz, the recall group at 40 Hz in its window,
   * silence otherwise, the background at 10 Hz, the label the majority of the 7 sides, and the
   * number r of right cues of the bias mixture (q = 0.3 or 0.7 with probability 1/2):
   * E r = 3.5, E (r - 3.5)^2 = 7 * 0.21 + 49 * 0.04 = 3.43. Tolerances: 4.5 standard errors of
   * each mean (binomial for the rates; the sample's own spread for the cue moments).
   */
  @Test
  void statisticsFollowTheParametersAtAnyIndex() {
    Dataset d = generated(MAX).train();
    int n = 400;
    int first = MAX - n;
    int steps = d.steps();
    double[] on = new double[4];
    double[] onSteps = new double[4];
    double[] dev = new double[n];
    double rights = 0;
    for (int j = 0; j < n; j++) {
      int[] label = new int[1];
      float[] x = gather(d, new int[] {first + j}, label);
      int right = 0;
      int[] active = new int[steps];
      java.util.Arrays.fill(active, -1);
      for (int c = 0; c < 7; c++) {
        int start = 10 + 30 * c;
        double[] groups = new double[2];
        for (int t = start; t < start + 20; t++) {
          for (int ch = 0; ch < 20; ch++) {
            groups[ch / 10] += x[t * 40 + ch];
          }
        }
        assertTrue(groups[0] == 0 || groups[1] == 0, "trial " + (first + j) + " cue " + c
            + " drives one side");
        int side = groups[1] > 0 ? 1 : 0; // P(a silent cue window) = 0.96^200 < 3e-4
        right += side;
        java.util.Arrays.fill(active, start, start + 20, side);
      }
      java.util.Arrays.fill(active, steps - 20, steps, 2);
      assertEquals(right > 3 ? 1 : 0, label[0], "label of trial " + (first + j));
      rights += right;
      dev[j] = (right - 3.5) * (right - 3.5);
      for (int t = 0; t < steps; t++) {
        for (int ch = 0; ch < 40; ch++) {
          float v = x[t * 40 + ch];
          assertTrue(v == 0f || v == 1f, "binary input");
          int g = ch / 10;
          if (g == 3 || g == active[t]) {
            on[g] += v;
            onSteps[g]++;
          } else {
            assertEquals(0f, v, "group " + g + " is silent while inactive");
          }
        }
      }
    }
    for (int g = 0; g < 4; g++) {
      double p = g == 3 ? 0.010 : 0.040;
      double se = Math.sqrt(p * (1 - p) / onSteps[g]);
      assertEquals(p, on[g] / onSteps[g], 4.5 * se, "group " + g + " rate");
    }
    double seR = Math.sqrt(3.43 / n);
    assertEquals(3.5, rights / n, 4.5 * seR, "mean right cues");
    double mean = java.util.Arrays.stream(dev).average().orElseThrow();
    double sd = Math.sqrt(java.util.Arrays.stream(dev).map(v -> (v - mean) * (v - mean)).sum()
        / (n - 1));
    assertEquals(3.43, mean, 4.5 * sd / Math.sqrt(n), "spread of right cues (the bias mixture)");
  }

  @Test
  void nothingIsStoredAndTheStoredBytesAreCounted() {
    Task stored = task("n-train", "300");
    int steps = stored.steps();
    assertEquals(300L * steps * 40 + 4 * 300, stored.train().bytes());
    assertEquals(50L * steps * 40 + 4 * 50, stored.test().bytes());
    Task gen = generated(MAX);
    assertEquals(0, gen.train().bytes());
    assertEquals(0, gen.test().bytes());
    Task rate = create("evidence-accumulation", "n-train", "10", "n-test", "5");
    assertEquals(10L * rate.steps() * 4 * 4 + 4 * 10, rate.train().bytes());
  }

  @Test
  void theSettingIsChecked() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tasks.create("evidence-accumulation", Map.of("trials", "generated")));
    assertTrue(e.getMessage().contains("trials") && e.getMessage().contains("encoding=poisson"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tasks.create("evidence-accumulation",
        Map.of("encoding", "poisson", "trials", "fresh")));
    assertTrue(e.getMessage().contains("must be stored or generated, got 'fresh'"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Tasks.create("evidence-accumulation",
        Map.of("encoding", "poisson", "n-train", "20000000")));
    assertTrue(e.getMessage().contains("n-train"), e.getMessage());
  }
}
