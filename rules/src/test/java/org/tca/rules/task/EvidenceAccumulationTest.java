package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.rules.task.TaskTestSupport.create;

import org.junit.jupiter.api.Test;

/** Evidence accumulation: layout, the majority rule, balance, determinism. */
class EvidenceAccumulationTest {

  private static final String[] SMALL = {"cue", "4", "interval", "6", "delay", "10", "recall", "5",
      "n-train", "1000", "n-test", "50"};

  @Test
  void defaultsFollowEprop() {
    Task task = create("evidence-accumulation", "n-train", "2", "n-test", "2");
    assertEquals(7 * 150 + 1050 + 150, task.steps());
    assertEquals(4, task.inputSize());
    assertEquals(2, task.outputSize());
    assertEquals(1f, task.lossMask()[task.steps() - 1]);
    assertEquals(0f, task.lossMask()[task.steps() - 2]);
  }

  @Test
  void labelIsTheMajoritySideAndBalanced() {
    Task task = create("evidence-accumulation", SMALL);
    Dataset d = task.train();
    assertEquals(7 * 6 + 10 + 5, d.steps());
    int ones = 0;
    for (int k = 0; k < d.size(); k++) {
      int right = 0;
      for (int c = 0; c < 7; c++) {
        int start = 6 - 4 + 6 * c;
        double left = 0;
        double rightSum = 0;
        for (int t = start; t < start + 4; t++) {
          left += d.input(k, t, 0);
          rightSum += d.input(k, t, 1);
        }
        // one channel carries amplitude 1 for 4 steps, the other only noise (sd 0.1 each)
        assertTrue(Math.abs(left - rightSum) > 2, "trial " + k + " cue " + c);
        right += rightSum > left ? 1 : 0;
      }
      assertEquals(right > 3 ? 1 : 0, d.label(k), "trial " + k);
      ones += d.label(k);
      // recall channel on in the last 5 steps only, background at A/4 throughout
      assertEquals(1.0, d.input(k, d.steps() - 1, 2), 0.6);
      assertEquals(0.0, d.input(k, d.steps() - 6, 2), 0.6);
    }
    assertEquals(500, ones, 5 * Math.sqrt(1000 * 0.25));
    double bg = 0;
    for (int t = 0; t < d.steps(); t++) {
      bg += d.input(3, t, 3);
    }
    assertEquals(0.25, bg / d.steps(), 5 * 0.1 / Math.sqrt(d.steps()));
  }

  @Test
  void deterministicAndIndependentOfN() {
    Dataset a = create("evidence-accumulation", SMALL).train();
    Dataset b = create("evidence-accumulation", "cue", "4", "interval", "6", "delay", "10",
        "recall", "5", "n-train", "20", "n-test", "5").train();
    assertArrayEquals(java.util.Arrays.copyOf(a.labels(), 20), b.labels());
    for (int t = 0; t < a.steps(); t++) {
      assertEquals(a.input(19, t, 2), b.input(19, t, 2));
    }
  }

  @Test
  void validatesItsLayout() {
    assertThrows(IllegalArgumentException.class,
        () -> create("evidence-accumulation", "cues", "6"));
    assertThrows(IllegalArgumentException.class,
        () -> create("evidence-accumulation", "cue", "200"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> create("evidence-accumulation", "loss-steps", "151"));
    assertTrue(e.getMessage().contains("'loss-steps'"), e.getMessage());
  }

  @Test
  void validationAndShiftedSets() {
    String[] kv = java.util.Arrays.copyOf(SMALL, SMALL.length + 4);
    kv[SMALL.length] = "n-validation";
    kv[SMALL.length + 1] = "30";
    kv[SMALL.length + 2] = "shift-delay";
    kv[SMALL.length + 3] = "20";
    Task task = create("evidence-accumulation", kv);
    assertEquals(30, task.validation().orElseThrow().size());
    assertEquals(task.steps() + 10, task.shiftedTest().orElseThrow().steps());
  }
}
