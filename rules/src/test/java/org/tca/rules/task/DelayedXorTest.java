package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.rules.task.TaskTestSupport.create;

import org.junit.jupiter.api.Test;

/** Delayed XOR: shapes, determinism, independence, the match rule, balance, the shift. */
class DelayedXorTest {

  private static final String[] SMALL = {"cue", "20", "delay", "30", "std", "5", "n-train", "400",
      "n-test", "400"};

  private static String[] with(String... extra) {
    String[] all = new String[SMALL.length + extra.length];
    System.arraycopy(SMALL, 0, all, 0, SMALL.length);
    System.arraycopy(extra, 0, all, SMALL.length, extra.length);
    return all;
  }

  /** Reads the cue of a window back from the inputs: its mean exceeds baseline + A/4. */
  private static boolean cue(Dataset d, int trial, int channel, int start, int length) {
    double s = 0;
    for (int t = start; t < start + length; t++) {
      s += d.input(trial, t, channel);
    }
    return s / length > 0.02 + 0.5;
  }

  @Test
  void defaultsFollowTheScience() {
    Task task = create("delayed-xor", "n-train", "3", "n-test", "2");
    assertEquals(900, task.steps());
    assertEquals(2, task.inputSize());
    assertEquals(2, task.outputSize());
    assertEquals(TaskKind.CLASSIFICATION, task.kind());
    float[] mask = task.lossMask();
    assertEquals(1f, mask[899]);
    float sum = 0;
    for (float m : mask) {
      sum += m;
    }
    assertEquals(1f, sum);
    assertEquals(3, task.train().size());
    assertTrue(task.validation().isEmpty());
    assertFalse(task.hasShiftedTest());
    assertEquals("700", task.parameters().get("delay"));
  }

  @Test
  void labelIsTheCueMatchRuleAndBalanced() {
    Task task = create("delayed-xor", with("n-train", "2000"));
    Dataset d = task.train();
    int steps = d.steps();
    int ones = 0;
    int cueCount = 0;
    for (int k = 0; k < d.size(); k++) {
      boolean c1 = cue(d, k, 0, 0, 20);
      boolean c2 = cue(d, k, 1, steps - 20, 20);
      assertEquals(c1 == c2 ? 1 : 0, d.label(k), "trial " + k);
      // channel 0 carries nothing in the second window and channel 1 nothing in the first
      assertFalse(cue(d, k, 0, steps - 20, 20));
      assertFalse(cue(d, k, 1, 0, 20));
      ones += d.label(k);
      cueCount += (c1 ? 1 : 0) + (c2 ? 1 : 0);
    }
    // Binomial(2000, 1/2): 5 standard deviations = 112
    assertEquals(1000, ones, 112);
    assertEquals(2000, cueCount, 5 * Math.sqrt(4000 * 0.25));
  }

  @Test
  void bumpAndBaselineHaveTheirValues() {
    Task task = create("delayed-xor", with("noise", "0", "n-train", "50"));
    Dataset d = task.train();
    for (int k = 0; k < d.size(); k++) {
      assertEquals(0.02f, d.input(k, 25, 0)); // delay: baseline only
      if (cue(d, k, 0, 0, 20)) {
        // s_10 = -10 + 10 * 20 / 19, bump = 2 exp(-s^2 / 50) + 0.02
        double s = -10 + 10 * 20.0 / 19;
        assertEquals((float) (0.02 + 2 * StrictMath.exp(-s * s / 50)), d.input(k, 10, 0));
      }
    }
  }

  @Test
  void sameSeedSameBitsOtherSeedOtherBits() {
    Dataset a = create("delayed-xor", with()).train();
    Dataset b = create("delayed-xor", with()).train();
    Dataset c = create("delayed-xor", with("seed", "1")).train();
    assertArrayEquals(a.labels(), b.labels());
    int differ = 0;
    for (int t = 0; t < a.steps(); t++) {
      assertEquals(a.input(7, t, 1), b.input(7, t, 1));
      differ += a.input(7, t, 1) != c.input(7, t, 1) ? 1 : 0;
    }
    assertEquals(a.steps(), differ);
    // a trial does not depend on n
    Dataset small = create("delayed-xor", with("n-train", "10")).train();
    for (int t = 0; t < a.steps(); t++) {
      assertEquals(a.input(9, t, 0), small.input(9, t, 0));
    }
  }

  @Test
  void trainAndTestAreIndependent() {
    Task task = create("delayed-xor", with());
    Dataset train = task.train();
    Dataset test = task.test();
    // no test trial reproduces a training trial's noise
    for (int j = 0; j < test.size(); j++) {
      for (int k = 0; k < train.size(); k++) {
        assertTrue(test.input(j, 25, 0) != train.input(k, 25, 0)
            || test.input(j, 26, 1) != train.input(k, 26, 1), "test " + j + " = train " + k);
      }
    }
    // and their labels are uncorrelated: agreement of trial k's labels is ~ 1/2
    int agree = 0;
    for (int k = 0; k < 400; k++) {
      agree += train.label(k) == test.label(k) ? 1 : 0;
    }
    assertEquals(200, agree, 5 * Math.sqrt(400 * 0.25));
  }

  @Test
  void shiftedTestUsesTheOtherDelay() {
    Task task = create("delayed-xor", with("shift-delay", "50", "fix", "3"));
    assertTrue(task.hasShiftedTest());
    Dataset s = task.shiftedTest().orElseThrow();
    assertEquals(3 + 40 + 30, task.steps());
    assertEquals(3 + 40 + 50, s.steps());
    assertEquals("shifted-test", s.split());
    assertEquals(task.test().size(), s.size());
    for (int k = 0; k < s.size(); k++) {
      boolean c1 = cue(s, k, 0, 3, 20);
      boolean c2 = cue(s, k, 1, s.steps() - 20, 20);
      assertEquals(c1 == c2 ? 1 : 0, s.label(k));
    }
    assertEquals(1f, s.lossMask(s.steps() - 1));
  }

  @Test
  void badParametersAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> create("delayed-xor", "dealy", "5"));
    assertTrue(e.getMessage().contains("'dealy'") && e.getMessage().contains("delay"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> create("delayed-xor", "cue", "x"));
    assertTrue(e.getMessage().contains("'cue'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> create("delayed-xor", "p-cue", "1.5"));
    assertTrue(e.getMessage().contains("'p-cue'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> create("delayed-xor", "n-train", "0"));
    assertTrue(e.getMessage().contains("'n-train'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> create("delayed-or"));
    assertTrue(e.getMessage().contains("delayed-xor"), e.getMessage());
  }
}
