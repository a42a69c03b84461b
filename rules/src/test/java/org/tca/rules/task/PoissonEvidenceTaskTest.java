package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.rules.task.TaskTestSupport.create;

import org.junit.jupiter.api.Test;

/**
 * {@code evidence-accumulation --encoding poisson}: the rate encoding's trials (same labels for
 * the same seed) as 40 binary channels whose groups fire at the signal rate only while their cue
 * (or the recall window) is on, and the background group throughout; the loss steps are kept.
 */
class PoissonEvidenceTaskTest {

  private static final String[] LAYOUT = {"cue", "20", "interval", "30", "delay", "40", "recall",
      "20", "loss-steps", "20", "n-train", "400", "n-test", "10"};

  private static String[] poisson(String... extra) {
    String[] a = new String[LAYOUT.length + 2 + extra.length];
    System.arraycopy(LAYOUT, 0, a, 0, LAYOUT.length);
    a[LAYOUT.length] = "encoding";
    a[LAYOUT.length + 1] = "poisson";
    System.arraycopy(extra, 0, a, LAYOUT.length + 2, extra.length);
    return a;
  }

  @Test
  void sameTrialsAsTheRateEncodingInFortyPoissonChannels() {
    Task rate = create("evidence-accumulation", LAYOUT);
    Task spikes = create("evidence-accumulation", poisson());
    Dataset d = spikes.train();
    assertEquals(40, spikes.inputSize());
    assertEquals(rate.steps(), spikes.steps());
    for (int t = 0; t < d.steps(); t++) {
      assertEquals(rate.lossMask()[t], spikes.lossMask()[t], "loss step " + t);
    }
    int steps = d.steps();
    int recallStart = steps - 20;
    // spike counts per (group, active?) over all trials, for the rates
    double[] on = new double[4];
    double[] onSteps = new double[4];
    double[] off = new double[4];
    for (int k = 0; k < d.size(); k++) {
      assertEquals(rate.train().label(k), d.label(k), "trial " + k + ": the same draws");
      for (int t = 0; t < steps; t++) {
        int cue = -1;
        for (int c = 0; c < 7; c++) {
          int start = 30 - 20 + 30 * c;
          if (t >= start && t < start + 20) {
            cue = rate.train().input(k, t, 1) > rate.train().input(k, t, 0) ? 1 : 0;
          }
        }
        int active = t >= recallStart ? 2 : cue;
        for (int ch = 0; ch < 40; ch++) {
          float x = d.input(k, t, ch);
          assertTrue(x == 0f || x == 1f, "binary input");
          int g = ch / 10;
          if (g == 3 || g == active) {
            on[g] += x;
            onSteps[g]++;
          } else {
            off[g] += x;
          }
        }
      }
    }
    for (int g = 0; g < 3; g++) {
      assertEquals(0, off[g], "group " + g + " is silent while inactive");
      assertEquals(0.040, on[g] / onSteps[g], 0.004, "group " + g + " at 40 Hz when active");
    }
    assertEquals(0.010, on[3] / onSteps[3], 0.0005, "background at 10 Hz");
  }

  @Test
  void ratesAreParametersAndTheEncodingIsChecked() {
    Dataset d = create("evidence-accumulation", poisson("signal-rate", "0", "noise-rate", "1000"))
        .test();
    for (int t = 0; t < d.steps(); t++) {
      assertEquals(0f, d.input(0, t, 0));
      assertEquals(1f, d.input(0, t, 35));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Tasks.create("evidence-accumulation", java.util.Map.of("encoding", "spikes")));
    assertTrue(e.getMessage().contains("must be rate or poisson, got 'spikes'"), e.getMessage());
  }
}
