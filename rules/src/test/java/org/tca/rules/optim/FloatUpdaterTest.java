package org.tca.rules.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Clipping, schedule stepping and allocation-freedom of {@link FloatUpdater}. */
class FloatUpdaterTest {

  private static final double U = Math.ulp(1.0f) / 2;

  @Test
  void clipsToTheGlobalNormOverTrainableRangesOnly() {
    // trainable: [0, 2) and [3, 5); g there = (3, 4, 0, 0) has norm 5; element 2 is frozen and huge
    TrainableRanges ranges = TrainableRanges.of(0, 2, 3, 2);
    float[] g = {3f, 4f, 1e6f, 0f, 0f};
    float[] p = new float[5];
    FloatUpdater upd = new FloatUpdater(new FloatSgd(5, ranges),
        LearningRateSchedule.constant(1.0), 1.0);
    upd.step(p, g);
    assertEquals(5.0, upd.lastGradientNorm(), 5.0 * 4 * Math.ulp(1.0));
    assertEquals(0.2, upd.lastClipScale(), 1e-15);
    // p = -lr * (1/5) * g, each from fl(fl(0.2) * g): within gamma_3 relative
    assertEquals(-0.6, p[0], 0.6 * 3 * U / (1 - 3 * U) * 1.0001);
    assertEquals(-0.8, p[1], 0.8 * 3 * U / (1 - 3 * U) * 1.0001);
    assertEquals(0f, p[2]);
    double clippedNorm = Math.hypot(p[0], p[1]);
    assertEquals(1.0, clippedNorm, 4 * U);

    float[] q = new float[5];
    FloatUpdater loose = new FloatUpdater(new FloatSgd(5, ranges),
        LearningRateSchedule.constant(1.0), 10.0);
    loose.step(q, g);
    assertEquals(1.0, loose.lastClipScale());
    assertEquals(-3f, q[0]);
    assertEquals(-4f, q[1]);
  }

  @Test
  void nonFiniteGradientIsNotClippedAway() {
    float[] g = {Float.NaN, 1f};
    float[] p = new float[2];
    FloatUpdater upd = new FloatUpdater(new FloatSgd(2, TrainableRanges.all(2)),
        LearningRateSchedule.constant(0.1), 1.0);
    upd.step(p, g);
    assertTrue(Double.isNaN(upd.lastGradientNorm()));
    assertEquals(1.0, upd.lastClipScale());
    assertTrue(Float.isNaN(p[0]));
  }

  @Test
  void followsTheScheduleByIteration() {
    LearningRateSchedule s = LearningRateSchedule.stepDecay(0.1, 0.5, 3).multipliedFrom(4, 10);
    FloatUpdater upd = new FloatUpdater(new FloatSgd(1, TrainableRanges.all(1)), s);
    float[] p = new float[1];
    float[] g = {0f};
    for (long t = 0; t < 8; t++) {
      assertEquals(t, upd.iteration());
      assertEquals(s.rate(t), upd.step(p, g));
      assertEquals(s.rate(t), upd.lastLearningRate());
    }
    upd.setIteration(100);
    assertEquals(s.rate(100), upd.step(p, g));
    assertThrows(IllegalArgumentException.class, () -> upd.setIteration(-1));
    assertThrows(IllegalArgumentException.class,
        () -> new FloatUpdater(new FloatSgd(1, TrainableRanges.all(1)), s, 0));
  }

  @Test
  void steadyStateStepsAllocateNothing() {
    if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
        || !mx.isThreadAllocatedMemorySupported()) {
      return;
    }
    int n = 1000;
    TrainableRanges ranges = TrainableRanges.of(0, 400, 500, 500);
    float[] p = new float[n];
    float[] g = new float[n];
    java.util.Arrays.fill(g, 0.01f);
    for (String kind : OptimizerSettings.KINDS) {
      FloatUpdater upd = new FloatUpdater(
          FloatOptimizers.create(OptimizerSettings.of(kind), n, ranges),
          LearningRateSchedule.stepDecay(1e-3, 0.9, 10).multipliedFrom(50, 2), 1.0);
      // the first round that allocates nothing, else the minimum over the rounds: the vector
      // kernels box their vectors until C2 has compiled them (later on a loaded machine), while a
      // real allocation shows in every round
      long allocated = Long.MAX_VALUE;
      for (int round = 0; round < 50 && allocated != 0; round++) {
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int t = 0; t < 200; t++) {
          upd.step(p, g);
        }
        allocated = Math.min(allocated, mx.getCurrentThreadAllocatedBytes() - before);
      }
      assertEquals(0, allocated, kind + " allocated " + allocated + " bytes per 200 steps");
    }
  }
}
