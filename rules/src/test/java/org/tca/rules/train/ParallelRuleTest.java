package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.learning.DoubleRules;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.model.Cell;
import org.tca.rules.model.DoubleParameters;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.model.PrecisionConversion;
import org.tca.rules.task.Task;

/**
 * Batch parallelism: for B = 7 (not divisible by K = 2 or 3), the sharded gradient and objective
 * are bit-identical for K = 1, 2, 3, 7 workers and S = 2, 3, 7 shards, and equal to the f64
 * unsharded rule within the f32 forward-error bound of PrecisionAgreementTest (the f64 shard
 * reduction adds one rounding, u); a wrong shard weight or a mis-copied shard fails that bound.
 */
class ParallelRuleTest {

  static final int T = 6;
  static final int B = 7;

  static Stream<Arguments> cases() {
    ModelConfig ce = ModelConfig.builder(3, 5, 2).activation(Activation.TANH).leak(0.4).build();
    ModelConfig rate = ModelConfig.builder(3, 5, 3).cell(Cell.RATE_LEAK).leak(0.3)
        .activation(Activation.SOFTPLUS).build();
    return Stream.of(
        Arguments.of("bptt", ce, false, new float[] {0, 0, 0, 0, 0, 1}),
        Arguments.of("bptt", rate, true, new float[] {0, 1, 0, 1, 1, 0}),
        Arguments.of("tbptt", ce, false, TrainTestSupport.everyStep(T)),
        Arguments.of("rtrl", rate, true, TrainTestSupport.everyStep(T)),
        Arguments.of("rtrl", ce, false, new float[] {0, 0, 0, 1, 0, 1}));
  }

  static Stream<Arguments> exactCases() {
    ModelConfig mse = ModelConfig.builder(3, 5, 2).loss(LossKind.MSE).dale(true)
        .connectionProbability(0.7).leak(0.3).build();
    ModelConfig rate = ModelConfig.builder(3, 5, 2).cell(Cell.RATE_LEAK).leak(0.4)
        .loss(LossKind.MSE).build();
    return Stream.of(
        Arguments.of("bptt", mse, new float[] {0, 0, 1, 0, 0, 1}),
        Arguments.of("bptt", rate, TrainTestSupport.everyStep(T)),
        Arguments.of("tbptt", mse, TrainTestSupport.everyStep(T)),
        Arguments.of("tbptt", rate, new float[] {0, 1, 0, 0, 1, 1}),
        Arguments.of("rtrl", mse, TrainTestSupport.everyStep(T)));
  }

  @ParameterizedTest
  @MethodSource("exactCases")
  void bitIdenticalForAnyThreadCount(String id, ModelConfig c, float[] mask) {
    FloatParameters p = FloatParameters.initialize(c, 5);
    FloatBatch batch = TrainTestSupport.batch(c, T, B, false, mask, 9);
    FloatLearningRule rule = FloatRules.create(id, c, 3, Kernels.scalarF32());
    for (int shards : new int[] {2, 3, 7}) {
      float[] reference = null;
      double referenceJ = 0;
      for (int threads : new int[] {1, 2, 3, 7}) {
        try (ParallelRule pr = new ParallelRule(rule, shards, threads)) {
          ParallelRule.Workspace ws = pr.newWorkspace(B, T);
          for (int rep = 0; rep < 2; rep++) {
            float[] g = p.newGradient();
            double j = pr.gradient(p, batch, ws, g);
            if (reference == null) {
              reference = g;
              referenceJ = j;
              checkAgainstF64(id, c, p, batch, g, j);
            } else {
              assertArrayEquals(reference, g, id + " S=" + shards + " K=" + threads);
              assertEquals(Double.doubleToRawLongBits(referenceJ), Double.doubleToRawLongBits(j),
                  id + " objective S=" + shards + " K=" + threads);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void shardedGradientIsWithinTheF32BoundOfTheUnshardedF64One(String id, ModelConfig c,
      boolean perStep, float[] mask) {
    FloatParameters p = FloatParameters.initialize(c, 5);
    FloatBatch batch = TrainTestSupport.batch(c, T, B, perStep, mask, 9);
    FloatLearningRule rule = FloatRules.create(id, c, 3);
    for (int shards : new int[] {2, 3, 7}) {
      for (int threads = 1; threads <= 2; threads++) {
        try (ParallelRule pr = new ParallelRule(rule, shards, threads)) {
          float[] g = p.newGradient();
          double j = pr.gradient(p, batch, pr.newWorkspace(B, T), g);
          checkAgainstF64(id, c, p, batch, g, j);
        }
      }
    }
  }

  private static void checkAgainstF64(String id, ModelConfig c, FloatParameters p,
      FloatBatch batch, float[] g, double j) {
    DoubleLearningRule r64 = DoubleRules.create(id, c, 3);
    DoubleParameters p64 = PrecisionConversion.widen(p);
    double[] g64 = p64.newGradient();
    double j64 = r64.gradient(p64, PrecisionConversion.widen(batch), r64.newWorkspace(B, T), g64);
    double u = Math.ulp(1.0f) / 2;
    int nMax = c.hidden() + c.inputs() + c.outputs() + 2;
    double rel = 16 * Math.sqrt(2.0 * T * nMax + T * B) * u + u;
    double scale = 0;
    double err = 0;
    for (int i = 0; i < g64.length; i++) {
      scale = Math.max(scale, Math.abs(g64[i]));
      err = Math.max(err, Math.abs(g[i] - g64[i]));
    }
    assertTrue(err <= rel * scale, id + ": sharded f32 vs f64 error " + err + " > " + rel * scale);
    assertTrue(Math.abs(j - j64) <= rel * Math.abs(j64), id + ": objective " + j + " vs " + j64);
  }

  @Test
  void oneShardIsTheWrappedRuleItself() {
    ModelConfig c = ModelConfig.builder(3, 5, 2).loss(LossKind.MSE).build();
    FloatParameters p = FloatParameters.initialize(c, 1);
    FloatBatch batch = TrainTestSupport.batch(c, T, B, false, TrainTestSupport.everyStep(T), 2);
    FloatLearningRule rule = FloatRules.create("bptt", c, 1, Kernels.scalarF32());
    float[] direct = p.newGradient();
    double j = rule.gradient(p, batch, rule.newWorkspace(B, T), direct);
    try (ParallelRule pr = new ParallelRule(rule, 1, 2)) {
      float[] g = p.newGradient();
      assertEquals(j, pr.gradient(p, batch, pr.newWorkspace(B, T), g), 0.0);
      assertArrayEquals(direct, g);
    }
  }

  @Test
  void defaultShardsDependOnTheBatchOnly() {
    assertEquals(1, ParallelRule.defaultShards(1));
    assertEquals(1, ParallelRule.defaultShards(31));
    assertEquals(2, ParallelRule.defaultShards(32));
    assertEquals(4, ParallelRule.defaultShards(64));
    assertEquals(8, ParallelRule.defaultShards(128));
    assertEquals(16, ParallelRule.defaultShards(256));
    assertEquals(32, ParallelRule.defaultShards(512));
    assertEquals(64, ParallelRule.defaultShards(1024));
    assertEquals(64, ParallelRule.defaultShards(1040));
    assertEquals(64, ParallelRule.defaultShards(2048));
    assertEquals(128, ParallelRule.defaultShards(4096));
    assertEquals(312, ParallelRule.defaultShards(10_000));
  }

  static Stream<Arguments> everyRuleBothKernels() {
    Stream.Builder<Arguments> b = Stream.builder();
    for (String id : FloatRules.NAMES.split(",\\s*")) {
      for (String kernels : new String[] {"scalar", "vector"}) {
        b.add(Arguments.of(id, kernels));
      }
    }
    return b.build();
  }

  /**
   * Every rule, with the scalar and the vector kernels, on a network wide enough for the vector
   * kernels' full lanes (N = 37, 17 for RTRL): the same bits on 1, 2 and 7 threads, on a pool of
   * its own or on one pool shared with another rule computing at the same time, and through the
   * dataset path (each shard gathering its own trials) as through a gathered batch.
   */
  @ParameterizedTest
  @MethodSource("everyRuleBothKernels")
  void everyRuleIsBitIdenticalOnAnyThreadsAndAnyPool(String id, String kernels) throws Exception {
    int b = 40;
    var fk = kernels.equals("scalar") ? Kernels.scalarF32() : Kernels.f32();
    Task task = TrainTestSupport.delayedXor(2, 3, 60, 10);
    int n = id.equals("rtrl") ? 17 : 37; // RTRL costs O(N^4) per step
    ModelConfig c = ModelConfig.builder(task.train().inputSize(), n, task.train().outputSize())
        .activation(Activation.TANH).leak(0.5).build();
    int steps = task.steps();
    FloatParameters p = FloatParameters.initialize(c, 3);
    FloatLearningRule rule = FloatRules.create(id, c, 3, fk);
    int[] idx = new int[60];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = (i * 37 + 11) % 60;
    }
    FloatBatch batch = FloatBatch.classification(steps, b, c.inputs(), c.outputs(), false)
        .lossMask(task.train().lossMask());
    task.train().gather(idx, 5, b, batch.x(), batch.labels(), batch.targets());
    int shards = 5;
    float[] reference = p.newGradient();
    double referenceJ;
    try (ParallelRule pr = new ParallelRule(rule, shards, 1)) {
      referenceJ = pr.gradient(p, batch, pr.newWorkspace(b, steps), reference);
    }
    for (int threads : new int[] {1, 2, 7}) {
      try (ParallelRule pr = new ParallelRule(rule, shards, threads)) {
        ParallelRule.Workspace ws = pr.newWorkspace(b, steps);
        for (int rep = 0; rep < 3; rep++) {
          float[] g = p.newGradient();
          double j = rep == 1 ? pr.gradient(p, batch, ws, g)
              : pr.gradient(p, task.train(), idx, 5, ws, g);
          assertArrayEquals(reference, g, id + "/" + kernels + " K=" + threads + " rep " + rep);
          assertEquals(referenceJ, j, 0.0, id + "/" + kernels + " K=" + threads);
        }
        // a batch with another loss mask in between must not leak into the dataset path
        FloatBatch everyStep = FloatBatch.classification(steps, b, c.inputs(), c.outputs(), false)
            .lossMask(TrainTestSupport.everyStep(steps));
        pr.gradient(p, everyStep, ws, p.newGradient());
        float[] g = p.newGradient();
        pr.gradient(p, task.train(), idx, 5, ws, g);
        assertArrayEquals(reference, g, id + "/" + kernels + " K=" + threads + " after a mask");
      }
    }
    // two rules on one shared pool of 3 threads, called at the same time from two threads
    FloatLearningRule other = FloatRules.create(id, c, 3, fk);
    try (WorkerPool pool = new WorkerPool(3, 2);
        ParallelRule a = new ParallelRule(rule, shards, pool);
        ParallelRule o = new ParallelRule(other, shards, pool)) {
      float[][] out = new float[2][];
      Thread second = new Thread(() -> {
        ParallelRule.Workspace ws = o.newWorkspace(b, steps);
        for (int rep = 0; rep < 6; rep++) {
          float[] g = p.newGradient();
          o.gradient(p, task.train(), idx, 5, ws, g);
          out[1] = g;
        }
      });
      second.start();
      ParallelRule.Workspace ws = a.newWorkspace(b, steps);
      for (int rep = 0; rep < 6; rep++) {
        float[] g = p.newGradient();
        a.gradient(p, task.train(), idx, 5, ws, g);
        out[0] = g;
      }
      second.join();
      assertArrayEquals(reference, out[0], id + "/" + kernels + " on a shared pool");
      assertArrayEquals(reference, out[1], id + "/" + kernels + " on a shared pool (2nd caller)");
    }
  }
}
