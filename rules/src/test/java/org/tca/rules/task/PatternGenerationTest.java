package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.rules.task.TaskTestSupport.create;

import org.junit.jupiter.api.Test;

/** Pattern generation: spike statistics, the shared target, splits. */
class PatternGenerationTest {

  @Test
  void defaultsAndMask() {
    Task task = create("pattern-generation", "n-train", "2", "n-test", "2");
    assertEquals(1000, task.steps());
    assertEquals(100, task.inputSize());
    assertEquals(1, task.outputSize());
    assertEquals(TaskKind.REGRESSION, task.kind());
    for (float m : task.lossMask()) {
      assertEquals(1f, m);
    }
  }

  @Test
  void spikesAreBinaryAtTheRequestedRate() {
    Task task = create("pattern-generation", "n-train", "20", "n-test", "20", "steps", "500");
    Dataset d = task.train();
    long spikes = 0;
    long total = 0;
    for (int k = 0; k < d.size(); k++) {
      for (int t = 0; t < d.steps(); t++) {
        for (int i = 0; i < d.inputSize(); i++) {
          float v = d.input(k, t, i);
          assertTrue(v == 0f || v == 1f);
          spikes += (long) v;
          total++;
        }
      }
    }
    double p = 0.05;
    assertEquals(p * total, spikes, 5 * Math.sqrt(total * p * (1 - p)));
  }

  @Test
  void targetIsTheSharedSumOfSines() {
    // frequencies 1, 2, 3, 5 Hz at dt = 1 ms have a common period of 1000 steps
    Task task = create("pattern-generation", "n-train", "3", "n-test", "2", "steps", "2000",
        "inputs", "2", "outputs", "2");
    Dataset train = task.train();
    Dataset test = task.test();
    double energy = 0;
    for (int t = 0; t < 1000; t++) {
      for (int k = 0; k < 2; k++) {
        float y = train.target(0, t, k);
        assertEquals(y, train.target(2, t, k));
        assertEquals(y, test.target(1, t, k));
        assertEquals(y, train.target(0, t + 1000, k), 1e-5);
        energy += y * y;
        assertTrue(Math.abs(y) <= 4 * 2.0);
      }
    }
    // four sines with amplitudes in [0.5, 2): mean square sum_j A_j^2 / 2 in [0.5, 8]
    assertTrue(energy / 2000 >= 0.5 && energy / 2000 <= 8, "mean square " + energy / 2000);
    // one output alone: the same amplitude/phase draws for output 0
    Dataset one = create("pattern-generation", "n-train", "1", "n-test", "1", "steps", "50",
        "inputs", "2", "frequencies", "3").train();
    double a = one.target(0, 0, 0);
    double b = one.target(0, 25, 0);
    // y(t) = A sin(2 pi 3 t/1000 + phi): recover A, phi from two samples and check a third
    double w = 2 * Math.PI * 3 / 1000;
    double cosPart = (b - a * Math.cos(25 * w)) / Math.sin(25 * w);
    double phi = Math.atan2(a, cosPart);
    double amp = Math.hypot(a, cosPart);
    assertTrue(amp >= 0.5 && amp < 2, "amplitude " + amp);
    assertEquals(amp * Math.sin(w * 40 + phi), one.target(0, 40, 0), 1e-5);
  }

  @Test
  void targetSeedIsSeparateFromTheDataSeed() {
    Dataset a = create("pattern-generation", "n-train", "1", "n-test", "1", "steps", "30",
        "inputs", "3").train();
    Dataset b = create("pattern-generation", "n-train", "1", "n-test", "1", "steps", "30",
        "inputs", "3", "seed", "9").train();
    Dataset c = create("pattern-generation", "n-train", "1", "n-test", "1", "steps", "30",
        "inputs", "3", "target-seed", "9").train();
    int inputsDiffer = 0;
    for (int t = 0; t < 30; t++) {
      assertEquals(a.target(0, t, 0), b.target(0, t, 0));
      assertTrue(a.target(0, t, 0) != c.target(0, t, 0));
      for (int i = 0; i < 3; i++) {
        inputsDiffer += a.input(0, t, i) != b.input(0, t, i) ? 1 : 0;
      }
    }
    assertTrue(inputsDiffer > 0);
  }

  @Test
  void shiftedRateAndValidation() {
    Task task = create("pattern-generation", "n-train", "5", "n-test", "10", "n-validation", "4",
        "steps", "400", "shift-rate", "200");
    assertEquals(4, task.validation().orElseThrow().size());
    Dataset s = task.shiftedTest().orElseThrow();
    long spikes = 0;
    for (int k = 0; k < s.size(); k++) {
      for (int t = 0; t < 400; t++) {
        for (int i = 0; i < 100; i++) {
          spikes += (long) s.input(k, t, i);
        }
      }
    }
    double total = 10 * 400 * 100;
    assertEquals(0.2 * total, spikes, 5 * Math.sqrt(total * 0.2 * 0.8));
    assertThrows(IllegalArgumentException.class,
        () -> create("pattern-generation", "rate", "2000"));
    assertThrows(IllegalArgumentException.class,
        () -> create("pattern-generation", "frequencies", "1,x"));
  }
}
