package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.rules.task.TaskTestSupport.create;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NeuroGym-style cognitive tasks: trial timing (which inputs are on in which epoch, the loss
 * mask on the response window), the rule that makes the label or target from what the inputs
 * show, label balance, determinism by seed, and train/test independence. Timing is checked
 * with the noise off, against epoch boundaries written out here by hand. Balance tolerances are
 * 5 binomial standard deviations (a false alarm once in ~1.7 million runs; the data are seeded,
 * so a pass is a pass for good).
 */
class CognitiveTasksTest {

  /** Asserts |count - n p| <= 5 sqrt(n p (1 - p)). */
  private static void assertBinomial(int count, int n, double p, String what) {
    double sd = Math.sqrt(n * p * (1 - p));
    assertEquals(n * p, count, 5 * sd, what + ": " + count + " of " + n);
  }

  /**
   * With the noise off: the loss mask and the fixation input (channel 0) switch at
   * {@code response}, and channels [c0, c1) carry something exactly in the given spans.
   */
  private static void assertTiming(Dataset d, int response, int c0, int c1, int... spans) {
    for (int t = 0; t < d.steps(); t++) {
      assertEquals(t >= response ? 1f : 0f, d.lossMask(t), "mask at " + t);
    }
    for (int k = 0; k < d.size(); k++) {
      for (int t = 0; t < d.steps(); t++) {
        assertEquals(t < response ? 1f : 0f, d.input(k, t, 0), "fixation at " + t);
        boolean on = false;
        for (int s = 0; s < spans.length; s += 2) {
          on |= t >= spans[s] && t < spans[s + 1];
        }
        boolean any = false;
        for (int c = c0; c < c1; c++) {
          any |= d.input(k, t, c) != 0f;
        }
        assertEquals(on, any, "trial " + k + " step " + t + " channels [" + c0 + ", " + c1 + ")");
      }
    }
  }

  private static double mean(Dataset d, int k, int c, int from, int to) {
    double s = 0;
    for (int t = from; t < to; t++) {
      s += d.input(k, t, c);
    }
    return s / (to - from);
  }

  @Test
  void perceptualDecisionMakingTimingAndRule() {
    Task task = create("perceptual-decision-making", "fixation", "3", "stimulus", "6", "delay",
        "2", "decision", "4", "noise", "0", "n-train", "400", "n-test", "2");
    Dataset d = task.train();
    assertEquals(15, d.steps());
    assertEquals(3, task.inputSize());
    assertTiming(d, 11, 1, 3, 3, 9);
    int[] perCoherence = new int[5];
    for (int k = 0; k < d.size(); k++) {
      double diff = d.input(k, 5, 2) - d.input(k, 5, 1);
      assertEquals(1.0, d.input(k, 5, 1) + d.input(k, 5, 2), 1e-6);
      int c = Arrays.binarySearch(new double[] {0, 6.4, 12.8, 25.6, 51.2},
          Math.round(Math.abs(diff) * 1000) / 10.0);
      assertTrue(c >= 0, "coherence of trial " + k + ": " + diff);
      perCoherence[c]++;
      if (c > 0) {
        assertEquals(diff > 0 ? 1 : 0, d.label(k), "trial " + k);
      }
    }
    for (int c = 0; c < 5; c++) {
      assertBinomial(perCoherence[c], d.size(), 0.2, "coherence " + c);
    }
  }

  @Test
  void delayMatchSampleTimingAndRule() {
    Task task = create("delay-match-sample", "fixation", "2", "sample", "3", "delay", "4", "test",
        "3", "decision", "2", "ring", "4", "noise", "0", "n-train", "400", "n-test", "2");
    Dataset d = task.train();
    assertEquals(14, d.steps());
    assertEquals(5, task.inputSize());
    assertTiming(d, 12, 1, 5, 2, 5, 9, 12);
    int matches = 0;
    for (int k = 0; k < d.size(); k++) {
      boolean same = true;
      for (int i = 1; i < 5; i++) {
        // cos on a ring of 4: the sample channel is 1, its neighbours 1/2, the opposite 0
        float sample = d.input(k, 2, i);
        assertTrue(sample == 0f || sample == 0.5f || sample == 1f, "sample value " + sample);
        same &= sample == d.input(k, 9, i);
      }
      assertEquals(same ? 1 : 0, d.label(k), "trial " + k);
      matches += d.label(k);
    }
    assertBinomial(matches, d.size(), 0.5, "matches");
  }

  @Test
  void contextDecisionMakingTimingAndRule() {
    Task task = create("context-decision-making", "fixation", "2", "stimulus", "4", "delay", "3",
        "decision", "2", "noise", "0", "n-train", "800", "n-test", "2");
    Dataset d = task.train();
    assertEquals(11, d.steps());
    assertEquals(7, task.inputSize());
    assertTiming(d, 9, 1, 5, 2, 6);
    int[] contexts = new int[2];
    int agree = 0;
    for (int k = 0; k < d.size(); k++) {
      int context = d.input(k, 0, 5) == 1f ? 0 : 1;
      for (int t = 0; t < d.steps(); t++) {
        assertEquals(1f, d.input(k, t, 5 + context), "context cue on throughout");
        assertEquals(0f, d.input(k, t, 6 - context));
      }
      contexts[context]++;
      int[] choice = new int[2];
      for (int m = 0; m < 2; m++) {
        choice[m] = d.input(k, 3, 2 + 2 * m) > d.input(k, 3, 1 + 2 * m) ? 1 : 0;
      }
      assertEquals(choice[context], d.label(k), "trial " + k + ": the cued modality decides");
      agree += choice[0] == choice[1] ? 1 : 0;
    }
    assertBinomial(contexts[0], d.size(), 0.5, "context 1");
    // the modalities agree on half the trials, so ignoring the context scores 3/4
    assertBinomial(agree, d.size(), 0.5, "modalities agreeing");
  }

  @Test
  void parametricWorkingMemoryTimingAndRule() {
    Task task = create("parametric-working-memory", "fixation", "2", "first", "3", "delay",
        "4", "second", "3", "decision", "1", "noise", "0", "n-train", "500", "n-test", "2");
    Dataset d = task.train();
    assertEquals(13, d.steps());
    assertTiming(d, 12, 1, 2, 2, 5, 9, 12);
    int[] pairs = new int[5];
    for (int k = 0; k < d.size(); k++) {
      float f1 = d.input(k, 3, 1);
      float f2 = d.input(k, 10, 1);
      // (1 + (f - 10) / 24) / 2, and every pair differs by 8 Hz
      assertEquals(8.0 / 48, Math.abs(f1 - f2), 1e-6);
      assertEquals(f1 > f2 ? 1 : 0, d.label(k), "trial " + k);
      pairs[(int) Math.round((Math.min(f1, f2) * 2 - 1) * 24 / 4)]++;
    }
    for (int pair : pairs) {
      assertBinomial(pair, d.size(), 0.2, "pair");
    }
  }

  @Test
  void goNoGoTimingAndRule() {
    Task task = create("go-no-go", "fixation", "1", "stimulus", "2", "delay", "3", "decision", "2",
        "noise", "0", "n-train", "50", "n-test", "2");
    Dataset d = task.train();
    assertEquals(8, d.steps());
    assertTiming(d, 6, 1, 3, 1, 3);
    for (int k = 0; k < d.size(); k++) {
      assertEquals(1f, d.input(k, 2, 1 + d.label(k)));
      assertEquals(0f, d.input(k, 2, 2 - d.label(k)));
    }
  }

  @Test
  void flipFlopHoldsTheLatestSign() {
    Task task = create("flip-flop", "fixation", "3", "response", "40", "n-train", "500",
        "n-test", "2");
    Dataset d = task.train();
    assertEquals(43, d.steps());
    assertEquals(3, task.inputSize());
    assertEquals(3, task.outputSize());
    assertEquals(TaskKind.REGRESSION, task.kind());
    int pulses = 0;
    int positive = 0;
    for (int k = 0; k < d.size(); k++) {
      for (int b = 0; b < 3; b++) {
        float held = 0f;
        for (int t = 0; t < d.steps(); t++) {
          float x = d.input(k, t, b);
          assertEquals(t >= 3 ? 1f : 0f, d.lossMask(t));
          if (t < 3) {
            assertEquals(0f, x, "quiet fixation");
          }
          if (t == 3) {
            assertTrue(x != 0f, "every bit is set at the first response step");
          }
          if (x != 0f) {
            assertEquals(1f, Math.abs(x));
            held = x;
            if (t > 3) {
              pulses++;
            }
            positive += x > 0 ? 1 : 0;
          }
          assertEquals(held, d.target(k, t, b), "trial " + k + " bit " + b + " step " + t);
        }
      }
    }
    // after the first step, a pulse with probability 0.05 per channel and step
    assertBinomial(pulses, d.size() * 3 * 39, 0.05, "pulses");
    assertBinomial(positive, pulses + d.size() * 3, 0.5, "positive pulses");
  }

  @Test
  void readySetGoRampsToTheProducedInterval() {
    Task task = create("ready-set-go", "fixation", "2", "measure-min", "4", "measure-max", "7",
        "ready", "2", "set", "1", "gain", "1.5", "noise", "0", "n-train", "800", "n-test", "2");
    Dataset d = task.train();
    int s = 2 + 7;
    int steps = s + 21;
    assertEquals(steps, d.steps());
    int[] measures = new int[4];
    for (int k = 0; k < d.size(); k++) {
      int ready = -1;
      for (int t = 0; t < steps; t++) {
        assertEquals(t >= s ? 1f : 0f, d.lossMask(t));
        assertEquals(t < s ? 1f : 0f, d.input(k, t, 0), "fixation");
        assertEquals(t == s ? 1f : 0f, d.input(k, t, 2), "set");
        if (ready < 0 && d.input(k, t, 1) == 1f) {
          ready = t;
        }
      }
      int m = s - ready;
      assertTrue(m >= 4 && m <= 7, "measured interval " + m);
      assertEquals(1f, d.input(k, ready + 1, 1), "ready lasts 2 steps");
      assertEquals(0f, d.input(k, ready + 2, 1));
      measures[m - 4]++;
      for (int t = 0; t < steps; t++) {
        double want = t < s ? 0 : Math.min(1, (t - s) / (1.5 * m));
        assertEquals(want, d.target(k, t, 0), 1e-6, "trial " + k + " step " + t);
      }
    }
    for (int count : measures) {
      assertBinomial(count, d.size(), 0.25, "interval");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"perceptual-decision-making", "delay-match-sample",
      "context-decision-making", "parametric-working-memory", "go-no-go"})
  void labelsAreBalanced(String name) {
    Dataset d = create(name, "n-train", "2000", "n-test", "2").train();
    int ones = 0;
    for (int label : d.labels()) {
      ones += label;
    }
    assertBinomial(ones, d.size(), 0.5, name + " label 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"perceptual-decision-making", "delay-match-sample",
      "context-decision-making", "parametric-working-memory", "go-no-go", "flip-flop",
      "ready-set-go"})
  void sameSeedSameBitsAndATrialDoesNotDependOnN(String name) {
    Dataset a = create(name, "n-train", "60", "n-test", "60").train();
    Dataset b = create(name, "n-train", "60", "n-test", "60").train();
    Dataset small = create(name, "n-train", "10", "n-test", "60").train();
    Dataset other = create(name, "n-train", "60", "n-test", "60", "seed", "1").train();
    assertArrayEquals(inputs(a, 60), inputs(b, 60));
    assertArrayEquals(inputs(a, 10), inputs(small, 10));
    assertTrue(!Arrays.equals(inputs(a, 60), inputs(other, 60)), "seed 1 gives other trials");
  }

  @ParameterizedTest
  @ValueSource(strings = {"perceptual-decision-making", "delay-match-sample",
      "context-decision-making", "parametric-working-memory", "go-no-go", "flip-flop",
      "ready-set-go"})
  void trainAndTestAreIndependent(String name) {
    Task task = create(name, "n-train", "300", "n-test", "300");
    float[][] train = trials(task.train());
    float[][] test = trials(task.test());
    for (int j = 0; j < test.length; j++) {
      for (int k = 0; k < train.length; k++) {
        assertTrue(!Arrays.equals(test[j], train[k]), name + ": test " + j + " = train " + k);
      }
    }
    if (task.kind() == TaskKind.CLASSIFICATION) {
      int agree = 0;
      for (int k = 0; k < 300; k++) {
        agree += task.train().label(k) == task.test().label(k) ? 1 : 0;
      }
      assertBinomial(agree, 300, 0.5, name + ": trial k's train and test labels agree");
    }
  }

  @ParameterizedTest
  @CsvSource({"perceptual-decision-making, coherences, 0;5",
      "perceptual-decision-making, decision, 0", "delay-match-sample, ring, 1",
      "context-decision-making, noise, -1", "parametric-working-memory, lower, '10,14'",
      "parametric-working-memory, lower, '10,14,18,22,40'",
      "go-no-go, fixation, 0", "flip-flop, p-pulse, 1.5", "flip-flop, bits, 0",
      "ready-set-go, measure-max, 3", "ready-set-go, ready, 11", "ready-set-go, gain, 0"})
  void badParametersAreNamed(String name, String parameter, String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> create(name, parameter, value));
    assertTrue(e.getMessage().contains("'" + parameter + "'") && e.getMessage().contains(name),
        e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
  }

  private static float[] inputs(Dataset d, int n) {
    float[] x = new float[d.steps() * n * d.inputSize()];
    d.gather(null, 0, n, x, null, null);
    return x;
  }

  private static float[][] trials(Dataset d) {
    float[][] out = new float[d.size()][];
    for (int k = 0; k < d.size(); k++) {
      float[] x = new float[d.steps() * d.inputSize()];
      d.gather(new int[] {k}, 0, 1, x, null, null);
      out[k] = x;
    }
    return out;
  }
}
