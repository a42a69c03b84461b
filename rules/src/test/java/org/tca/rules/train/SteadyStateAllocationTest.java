package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.numerics.random.RandomStream;
import org.tca.rules.curvature.BlockSelection;
import org.tca.rules.curvature.FloatHessianVectorProduct;
import org.tca.rules.learning.Feedback;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatAdam;
import org.tca.rules.optim.FloatOptimizer;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.optim.TrainableRanges;
import org.tca.rules.spiking.FloatSpikingGradient;
import org.tca.rules.spiking.FloatSpikingWorkspace;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.task.Task;

/**
 * The design's promise that the hot paths allocate nothing once warmed up: every rule's offline
 * gradient and online step, the Hessian-vector product (prepare and product) and a whole training
 * iteration (sample a minibatch, the sharded gradient on one or two threads, the optimizer step;
 * online: T updates) allocate 0 bytes, for both cells, measured with HotSpot's per-thread
 * allocation counter. Here with the scalar kernels, which isolate this module's code;
 * {@link VectorSteadyStateAllocationTest} runs the same with the Vector API kernels.
 */
class SteadyStateAllocationTest {

  private static final com.sun.management.ThreadMXBean MX =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int WARMUP = 200;
  private static final int MAX_ROUNDS = 1000;
  private static final int CALLS = 50;
  private static final int T = 5;
  private static final int B = 4;
  private static final float[] LOSS_MASK = {0f, 1f, 2f, 1f, 1f};

  /** The kernels under test. */
  FloatKernels kernels() {
    return Kernels.scalarF32();
  }

  /**
   * One model per cell, loss and structure (Dale and a sparse mask; no b_rec), wide enough for
   * the vector kernels' main loops; batches carry loss at every step but the first.
   */
  private static List<ModelConfig> models() {
    return List.of(
        ModelConfig.builder(3, 20, 2).activation(Activation.TANH).leak(0.5).dale(true)
            .connectionProbability(0.6).build(),
        ModelConfig.builder(3, 20, 2).cell(Cell.RATE_LEAK).leak(0.3).loss(LossKind.MSE)
            .recurrentBias(false).build());
  }

  @FunctionalInterface
  private interface Work {
    void run();
  }

  /**
   * Bytes allocated by {@link #CALLS} calls of {@code w} on this thread and {@code others}, after
   * {@link #WARMUP} calls: the first round that allocates nothing, else the least over
   * {@link #MAX_ROUNDS} rounds (the JIT may still be compiling the vector kernels, which box their
   * vectors until C2 has them; a real allocation shows in every round).
   */
  private static long steadyBytes(Work w, long... others) {
    for (int i = 0; i < WARMUP; i++) {
      w.run();
    }
    long least = Long.MAX_VALUE;
    for (int round = 0; round < MAX_ROUNDS && least != 0; round++) {
      long before = allocated(others);
      for (int i = 0; i < CALLS; i++) {
        w.run();
      }
      least = Math.min(least, allocated(others) - before);
    }
    return least;
  }

  /** Bytes allocated so far by this thread and the given ones. */
  private static long allocated(long... others) {
    long sum = MX.getCurrentThreadAllocatedBytes();
    for (long id : others) {
      sum += MX.getThreadAllocatedBytes(id);
    }
    return sum;
  }

  private static String where(ModelConfig m) {
    return m.cell().id() + "/" + m.loss().id();
  }

  @Test
  void counterIsOn() {
    assertTrue(MX.isThreadAllocatedMemorySupported() && MX.isThreadAllocatedMemoryEnabled());
    long least = steadyBytes(() -> sink = new float[16]);
    assertTrue(least >= CALLS * 64L, "the counter sees allocation: " + least);
  }

  private static Object sink;

  @Test
  void everyRuleOfflineAndOnline() {
    List<String> failures = new ArrayList<>();
    for (ModelConfig m : models()) {
      for (String id : FloatRules.NAMES.split(", ")) {
        FloatLearningRule rule =
            FloatRules.create(id, m, RuleOptions.defaults().withWindow(2), kernels());
        FloatParameters p = FloatParameters.initialize(m, 7);
        float[] grad = p.newGradient();
        FloatBatch batch = TrainTestSupport.batch(m, T, B, false, LOSS_MASK, 11);
        FloatWorkspace ws = rule.newWorkspace(B, T);
        long off = steadyBytes(() -> rule.gradient(p, batch, ws, grad));
        if (off != 0) {
          failures.add(id + " gradient " + where(m) + ": " + off + " bytes");
        }
        if (rule.supportsOnline()) {
          FloatBatch one = TrainTestSupport.batch(m, T, 1, false, LOSS_MASK, 12);
          FloatWorkspace ows = rule.newWorkspace(1, T);
          long on = steadyBytes(() -> {
            rule.beginOnline(p, ows);
            for (int t = 0; t < T; t++) {
              rule.stepOnline(p, one, t, ows, grad);
            }
          });
          if (on != 0) {
            failures.add(id + " online " + where(m) + ": " + on + " bytes");
          }
          FloatOptimizer adam = new FloatAdam(grad.length, TrainableRanges.all(grad.length));
          long fused = steadyBytes(() -> { // with the update (fused for e-prop, RFLO); rate 0
            rule.beginOnline(p, ows);
            for (int t = 0; t < T; t++) {
              rule.stepOnline(p, one, t, ows, grad, adam, 0.0);
            }
          });
          if (fused != 0) {
            failures.add(id + " online with Adam " + where(m) + ": " + fused + " bytes");
          }
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  /** The spiking rules' offline gradients (mixed LIF/ALIF, refractory, rate term, Dale + sparse). */
  @Test
  void spikingRulesOffline() {
    ModelConfig base = ModelConfig.builder(3, 20, 2).recurrentBias(false).dale(true)
        .connectionProbability(0.6).build();
    SpikingConfig c = new SpikingConfig(base, 10, 5, 20, 0.7, 0.3, 0.3, 1, 4, 0.1, 0.05);
    FloatParameters p = FloatParameters.initialize(base, 3);
    FloatBatch batch = FloatBatch.classification(T, B, 3, 2, true).lossMask(LOSS_MASK);
    RandomStream r = new RandomStream(4);
    for (int i = 0; i < batch.x().length; i++) {
      batch.x()[i] = r.nextDouble() < 0.4 ? 1f : 0f;
    }
    List<String> failures = new ArrayList<>();
    FloatKernels k = kernels();
    for (FloatSpikingGradient rule : List.of(FloatSpikingGradient.bptt(c, k),
        FloatSpikingGradient.eprop(c, Feedback.SYMMETRIC, k),
        FloatSpikingGradient.epropRandom(c, 5, k))) {
      FloatSpikingWorkspace ws = rule.newWorkspace(B, T);
      float[] grad = p.newGradient();
      long off = steadyBytes(() -> rule.gradient(p, batch, ws, grad));
      if (off != 0) {
        failures.add("spiking " + rule.id() + " offline: " + off + " bytes");
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void hessianVectorProduct() {
    List<String> failures = new ArrayList<>();
    for (ModelConfig m : models()) {
      FloatParameters p = FloatParameters.initialize(m, 7);
      FloatBatch batch = TrainTestSupport.batch(m, T, B, false, LOSS_MASK, 11);
      BlockSelection all = BlockSelection.all(p.layout(), p.structure());
      FloatHessianVectorProduct h = new FloatHessianVectorProduct(m, all, B, T, kernels());
      double[] v = new double[h.dimension()];
      RandomStream r = new RandomStream(5);
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextGaussian();
      }
      double[] out = new double[v.length];
      long prepare = steadyBytes(() -> h.prepare(p, batch));
      long product = steadyBytes(() -> h.apply(v, out));
      if (prepare != 0 || product != 0) {
        failures.add(where(m) + ": prepare " + prepare + ", product " + product + " bytes");
      }
    }
    assertEquals(List.of(), failures);
  }

  /**
   * Bytes between progress calls of a {@link Trainer} (whole iterations) away from checkpoints,
   * on the calling thread and the pool's workers: offline with three shards on one and on two
   * threads, and online.
   */
  @Test
  void trainingIteration() {
    Task xor = TrainTestSupport.delayedXor(2, 1, 64, 16);
    List<String> failures = new ArrayList<>();
    for (Cell cell : Cell.values()) {
      ModelConfig m = ModelConfig.builder(2, 20, 2).cell(cell)
          .leak(cell == Cell.VOLTAGE_LEAK ? 0.5 : 0.3).build();
      for (String mode : new String[] {"offline", "offline-2-threads", "online"}) {
        boolean online = mode.equals("online");
        long bytes = trainerBytes(xor, m, TrainerConfig.builder()
            .iterations(WARMUP + MAX_ROUNDS * CALLS).batchSize(online ? 1 : 12).shards(3)
            .threads(mode.equals("offline-2-threads") ? 2 : 1).checkpoints(2).seed(1)
            .optimizer(OptimizerSettings.of("adam")).learningRate(1e-3).online(online)
            .evalShifted(false).build(), online ? "eprop" : "bptt", kernels());
        if (bytes != 0) {
          failures.add(mode + " " + where(m) + ": " + bytes + " bytes per " + CALLS
              + " iterations");
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  /**
   * Gathering a minibatch of trials generated on demand (spiking evidence accumulation, f32 and
   * f64) and drawing it in order allocate nothing once the thread holds its trial scratch.
   */
  @Test
  void generatedTrialsGather() {
    Task task = TrainTestSupport.create("evidence-accumulation", java.util.Map.of("encoding",
        "poisson", "trials", "generated", "n-train", Integer.toString(Integer.MAX_VALUE),
        "cue", "20", "interval", "30", "delay", "40", "recall", "20", "n-test", "4"));
    org.tca.rules.task.Dataset d = task.train();
    int b = 4;
    org.tca.rules.task.MinibatchSampler sampler = org.tca.rules.task.MinibatchSampler.of(d, b,
        null);
    float[] x = new float[d.steps() * b * d.inputSize()];
    double[] x64 = new double[x.length];
    int[] labels = new int[b];
    assertEquals(0, steadyBytes(() -> {
      int off = sampler.next();
      d.gather(sampler.indices(), off, b, x, labels, null);
      d.gather(sampler.indices(), off, b, x64, labels, null);
    }), "bytes per " + CALLS + " gathers");
  }

  /** {@link #steadyBytes} of whole training iterations, driven through the progress listener. */
  private static long trainerBytes(Task task, ModelConfig m, TrainerConfig cfg, String rule,
      FloatKernels kernels) {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (Trainer t = new Trainer(task, FloatRules.create(rule, m, 1, kernels),
        FloatParameters.initialize(m, 1), cfg, List.of(), kernels)) {
      long[] workers = Thread.getAllStackTraces().keySet().stream()
          .filter(th -> !before.contains(th) && th.getName().startsWith("tca-worker-"))
          .mapToLong(Thread::threadId).toArray();
      assertEquals(cfg.threads() - 1, workers.length, "the trainer's worker threads");
      long[] least = {Long.MAX_VALUE};
      long[] start = {0};
      t.onProgress((i, n, loss) -> {
        if (i >= WARMUP && (i - WARMUP) % CALLS == 0) {
          if (i > WARMUP) {
            least[0] = Math.min(least[0], allocated(workers) - start[0]);
          }
          start[0] = allocated(workers);
        }
      });
      // runs of 10 windows: the window after each return holds runUntil's result, the rest not
      while (least[0] != 0 && t.iteration() < cfg.iterations()) {
        assertTrue(t.runUntil(t.iteration() + 10 * CALLS).status() != RunStatus.DIVERGED);
      }
      return least[0];
    }
  }
}
