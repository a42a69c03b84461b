package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.spiking.SpikingInitialization;

/** The up-front memory estimate against what the runs really allocate. */
class MemoryEstimateTest {

  /**
   * For every rule on a few small shapes, offline and online, the estimate of one workspace is at
   * least its {@code sizeInBytes()} after use (local rules size theirs on first use) and at most
   * that plus the terms the rule does not use (a few N^2 and T b N, the full online traces).
   */
  @Test
  void workspaceEstimateBoundsTheAllocatedBytes() {
    List<ModelConfig> models = List.of(ModelConfig.builder(3, 20, 2).build(),
        ModelConfig.builder(5, 33, 4).cell(Cell.RATE_LEAK).leak(0.3).loss(LossKind.MSE).dale(true)
            .build());
    for (ModelConfig m : models) {
      for (int[] shape : new int[][] {{4, 7}, {1, 12}, {9, 3}}) {
        int b = shape[0];
        int steps = shape[1];
        for (String id : FloatRules.NAMES.split(", ")) {
          for (boolean online : new boolean[] {false, true}) {
            FloatLearningRule rule = FloatRules.create(id, m, 2, Kernels.scalarF32());
            if (online && !rule.supportsOnline()) {
              continue;
            }
            int size = online ? 1 : b;
            long actual = allocated(rule, m, FloatParameters.initialize(m, 1), size, steps,
                online);
            long estimate = Float.BYTES
                * MemoryEstimate.workspaceFloats(m, id, size, steps, online);
            long n = m.hidden();
            long traces = 5 * (m.parameterCount() - m.outputs() * (n + 1));
            long slack = Float.BYTES * (3 * n * n + 3L * steps * size * n + 40 * n + traces);
            String what = id + (online ? " online" : "") + " N=" + n + " B=" + size + " T=" + steps;
            assertTrue(actual > 0 && actual <= estimate, what + ": " + actual + " > " + estimate);
            assertTrue(estimate <= actual + slack, what + ": " + estimate + " vs " + actual);
          }
        }
      }
    }
  }

  /**
   * For every spiking rule on a LIF network without and an ALIF/LIF network with the firing-rate
   * term, offline and online, the estimate of a run in one shard on one thread is exactly the
   * bytes its workspace holds after use ({@code sizeInBytes()}: e-prop, MDGL and tbptt make their
   * offline part on first use), each rule counting its own arrays; tbptt's window k = 5 is
   * shorter than T = 7 and 12 (its ring holds k steps, not T) and longer than T = 3.
   */
  @Test
  void spikingWorkspaceEstimateIsTheAllocatedBytes() {
    ModelConfig lif = ModelConfig.builder(3, 12, 2).recurrentBias(false).build();
    ModelConfig mixed = ModelConfig.builder(5, 17, 3).recurrentBias(false).loss(LossKind.MSE)
        .build();
    List<SpikingConfig> configs = List.of(SpikingConfig.published(lif).withAdaptive(0),
        SpikingConfig.published(mixed).withRate(1, 0.02));
    for (SpikingConfig s : configs) {
      ModelConfig m = s.base();
      for (int[] shape : new int[][] {{4, 7}, {1, 12}, {9, 3}}) {
        int b = shape[0];
        int steps = shape[1];
        for (String id : FloatSpikingRules.ids()) {
          for (boolean online : new boolean[] {false, true}) {
            FloatLearningRule rule = FloatSpikingRules.create(id, s,
                RuleOptions.defaults().withWindow(5), Kernels.scalarF32());
            if (online && !rule.supportsOnline()) {
              continue;
            }
            int size = online ? 1 : b;
            long actual = allocated(rule, m, SpikingInitialization.initialize(s, 1, 4), size,
                steps, online);
            TrainerConfig c = TrainerConfig.builder().batchSize(b).shards(1).threads(1)
                .online(online).build();
            String what = "spiking " + id + (online ? " online" : "") + " N=" + m.hidden()
                + " B=" + size + " T=" + steps;
            assertEquals(actual, MemoryEstimate.of(rule, c, steps).workspaceBytes(), what);
          }
        }
      }
    }
  }

  /** The bytes of a workspace of {@code rule} after one gradient or online sequence. */
  private static long allocated(FloatLearningRule rule, ModelConfig m, FloatParameters p,
      int size, int steps, boolean online) {
    FloatWorkspace ws = rule.newWorkspace(size, steps);
    FloatBatch batch = TrainTestSupport.batch(m, steps, size, false,
        TrainTestSupport.everyStep(steps), 3);
    float[] grad = p.newGradient();
    if (online) {
      rule.beginOnline(p, ws);
      for (int t = 0; t < steps; t++) {
        rule.stepOnline(p, batch, t, ws, grad);
      }
    } else {
      rule.gradient(p, batch, ws, grad);
    }
    return ws.sizeInBytes();
  }

  /** A spiking BPTT run's estimate grows with the stored forward pass, (T + 1) B N per array. */
  @Test
  void spikingBpttCountsTheStoredForwardPass() {
    ModelConfig m = ModelConfig.builder(40, 100, 2).recurrentBias(false).build();
    SpikingConfig s = SpikingConfig.published(m);
    TrainerConfig c = TrainerConfig.builder().batchSize(64).shards(1).threads(1)
        .optimizer(OptimizerSettings.of("adam")).build();
    MemoryEstimate spiking = MemoryEstimate.of(FloatSpikingRules.create("bptt", s,
        RuleOptions.defaults()), c, 2250);
    MemoryEstimate rate = MemoryEstimate.of(m, "bptt", c, 2250);
    assertEquals(rate.parameterBytes(), spiking.parameterBytes());
    long pass = 4L * 3 * 2251 * 64 * 100; // z, psi and the filtered spikes
    assertTrue(spiking.workspaceBytes() >= pass + 4L * 2250 * 64 * 100, spiking + " vs " + pass);
    assertTrue(spiking.workspaceBytes() > rate.workspaceBytes(), spiking + " vs " + rate);
  }

  /** The whole estimate of a trainer's run: parameters, gradient, Adam and shard gradients. */
  @Test
  void parametersOptimizerAndShards() {
    ModelConfig m = ModelConfig.builder(3, 20, 2).build();
    long p = m.parameterCount();
    assertEquals(new FloatParameters(m, FloatParameters.initialize(m, 1).structure())
        .data().length, p);
    TrainerConfig c = TrainerConfig.builder().batchSize(32).shards(4).threads(2)
        .optimizer(OptimizerSettings.of("adam")).build();
    MemoryEstimate e = MemoryEstimate.of(m, "bptt", c, 10);
    assertEquals(4 * (2 * p + 2 * p + 4 * p + 2L * 10 * 32 * 5), e.parameterBytes());
    assertEquals(4 * 2 * MemoryEstimate.workspaceFloats(m, "bptt", 8, 10, false),
        e.workspaceBytes());
    assertEquals(e, MemoryEstimate.of(FloatRules.create("bptt", m, 1), c, 10), "by the rule");
    e.check("this run", e.totalBytes());
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
        () -> e.check("this run", e.totalBytes() - 1));
    assertTrue(x.getMessage().startsWith("this run needs about ")
        && x.getMessage().contains("TCA_JAVA_OPTS=-Xmx"), x.getMessage());
    assertEquals(3 * e.totalBytes(), e.times(3).totalBytes());
    assertEquals(0, e.datasetBytes(), "no task given");
  }

  /**
   * Given the task, the estimate counts its stored datasets (n T 40 spike bytes and n labels a
   * split; the shifted test set as the test set), once for any number of runs, and nothing for
   * trials generated on demand; a run that fits without its stored dataset is refused with it,
   * the message naming the datasets' share.
   */
  @Test
  void storedDatasetsAreCountedGeneratedOnesHoldNothing() throws Exception {
    java.util.Map<String, String> p = new java.util.HashMap<>(java.util.Map.of("encoding",
        "poisson", "n-train", "300", "n-test", "20", "shift-delay", "500"));
    org.tca.rules.task.Task stored = org.tca.rules.task.Tasks.create("evidence-accumulation", p);
    p.put("trials", "generated");
    p.put("n-train", Integer.toString(Integer.MAX_VALUE));
    org.tca.rules.task.Task generated = org.tca.rules.task.Tasks.create("evidence-accumulation",
        p);
    long t = stored.steps();
    long bytes = 300 * t * 40 + 4 * 300 + 2 * (20 * t * 40 + 4 * 20);
    ModelConfig m = ModelConfig.builder(40, 10, 2).build();
    TrainerConfig c = TrainerConfig.builder().batchSize(8).threads(1).trainEvalSize(16)
        .testEvalSize(16).evalShifted(true).build();
    MemoryEstimate e = MemoryEstimate.of(m, "eprop", c, stored);
    assertEquals(bytes, e.datasetBytes());
    assertEquals(bytes, MemoryEstimate.datasetBytes(stored, true));
    assertEquals(bytes - 20 * t * 40 - 4 * 20, MemoryEstimate.datasetBytes(stored, false));
    MemoryEstimate g = MemoryEstimate.of(m, "eprop", c, generated);
    assertEquals(0, g.datasetBytes());
    assertEquals(e.totalBytes() - bytes, g.totalBytes(), "the same run without the bytes");
    assertEquals(bytes, e.times(3).datasetBytes(), "the runs share the datasets");
    assertEquals(3 * g.totalBytes() + bytes, e.times(3).totalBytes());
    long heap = g.totalBytes() + bytes / 2;
    g.check("this run", heap);
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class,
        () -> e.check("this run", heap));
    assertTrue(x.getMessage().contains(", datasets " + MemoryEstimate.size(bytes) + ")")
        && x.getMessage().contains("stored dataset"), x.getMessage());
  }
}
