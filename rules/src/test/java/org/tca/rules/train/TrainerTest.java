package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.kernels.Activation;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.LearningRateSchedule;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.task.Task;

class TrainerTest {

  static final Task XOR = TrainTestSupport.delayedXor(6, 4, 96, 64);
  /** Regression with ReLU: no transcendental kernels, so bits are comparable across calls. */
  static final Task PATTERNS = TrainTestSupport.patterns(12, 6, 72, 40);

  static ModelConfig model() {
    return ModelConfig.builder(2, 12, 2).activation(Activation.TANH).leak(0.5).build();
  }

  static ModelConfig regressionModel() {
    return ModelConfig.builder(6, 12, 1).loss(LossKind.MSE).leak(0.5).build();
  }

  static TrainerConfig.Builder config() {
    return TrainerConfig.builder().iterations(40).batchSize(24).checkpoints(5).seed(3)
        .optimizer(OptimizerSettings.of("adam")).learningRate(2e-2).evalBatch(40)
        .evalShifted(true);
  }

  static RunResult train(String rule, TrainerConfig cfg, List<CheckpointProbe> probes) {
    return train(XOR, model(), rule, cfg, probes);
  }

  static RunResult train(Task task, ModelConfig m, String rule, TrainerConfig cfg,
      List<CheckpointProbe> probes) {
    FloatParameters p = FloatParameters.initialize(m, cfg.seed());
    try (Trainer t = new Trainer(task, FloatRules.create(rule, m, 4), p, cfg, probes)) {
      return t.run();
    }
  }

  /**
   * Trains on the scalar kernels (bit-identical across runs, as the vector ones are too; the
   * scalar ones keep these tests independent of the machine's vector width).
   */
  static RunResult trainExactly(Task task, ModelConfig m, String rule, TrainerConfig cfg) {
    try (Trainer t = exactTrainer(task, m, rule, cfg, FloatParameters.initialize(m, cfg.seed()))) {
      return t.run();
    }
  }

  static Trainer exactTrainer(Task task, ModelConfig m, String rule, TrainerConfig cfg,
      FloatParameters p) {
    FloatKernels k = Kernels.scalarF32();
    return new Trainer(task, FloatRules.create(rule, m, 4, k), p, cfg, List.of(), k);
  }

  @Test
  void recordsCheckpointsAndLowersTheLoss() {
    RunResult r = train("bptt", config().iterations(60).build(), List.of());
    assertEquals(RunStatus.OK, r.status());
    assertEquals(60, r.iterations());
    assertEquals(-1, r.divergedAt());
    List<Long> its = new ArrayList<>();
    for (TrajectoryPoint p : r.trajectory()) {
      its.add(p.iteration());
      assertTrue(Double.isFinite(p.trainLoss()) && Double.isFinite(p.testLoss()));
      assertTrue(p.trainAccuracy() >= 0 && p.trainAccuracy() <= 1);
      assertTrue(Double.isFinite(p.shiftedLoss()), "shifted test set evaluated");
      assertTrue(p.l2Penalty() > 0);
    }
    assertEquals(List.of(0L, 15L, 30L, 45L, 60L), its);
    assertTrue(Double.isNaN(r.trajectory().get(0).batchLoss()));
    assertTrue(Double.isFinite(r.last().batchLoss()) && r.last().gradientNorm() > 0);
    assertTrue(r.last().trainLoss() < 0.9 * r.trajectory().get(0).trainLoss(),
        "train loss " + r.trajectory().get(0).trainLoss() + " -> " + r.last().trainLoss());
  }

  @Test
  void bitIdenticalForAnySeedRepeatAndThreadCount() {
    ModelConfig m = regressionModel();
    for (String rule : new String[] {"bptt", "tbptt"}) {
      TrainerConfig one = config().threads(1).shards(3).build();
      RunResult a = trainExactly(PATTERNS, m, rule, one);
      RunResult b = trainExactly(PATTERNS, m, rule, one);
      RunResult c = trainExactly(PATTERNS, m, rule, config().threads(2).shards(3).build());
      RunResult d = trainExactly(PATTERNS, m, rule, config().threads(3).shards(3).build());
      for (RunResult x : new RunResult[] {b, c, d}) {
        assertArrayEquals(a.parameters().data(), x.parameters().data(), rule);
        assertEquals(a.trajectory(), x.trajectory(), rule);
      }
      RunResult other = trainExactly(PATTERNS, m, rule, config().seed(4).build());
      assertFalse(java.util.Arrays.equals(a.parameters().data(), other.parameters().data()));
    }
  }

  @Test
  void probesAreRecordedInOrder() {
    List<Long> seen = new ArrayList<>();
    CheckpointProbe probe = (it, lr, p) -> {
      seen.add(it);
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("two_over_eta", 2 / lr);
      m.put("w0", (double) p.data()[0]);
      return m;
    };
    RunResult r = train("bptt", config().build(), List.of(probe));
    assertEquals(List.of(0L, 10L, 20L, 30L, 40L), seen);
    for (TrajectoryPoint p : r.trajectory()) {
      assertEquals(List.of("two_over_eta", "w0"), new ArrayList<>(p.probes().keySet()));
      assertEquals(100.0, p.probes().get("two_over_eta"), 1e-12);
    }
  }

  @Test
  void saveAndResumeGivesTheUninterruptedRunBitForBit(@TempDir Path dir) throws Exception {
    for (String opt : new String[] {"adam", "momentum", "sgd"}) {
      for (boolean online : new boolean[] {false, true}) {
        String rule = online ? "rtrl" : "bptt";
        TrainerConfig cfg = config().optimizer(OptimizerSettings.of(opt)).online(online)
            .iterations(online ? 12 : 40).schedule(LearningRateSchedule.constant(1e-2)
                .multipliedFrom(online ? 7 : 25, 0.5)).build();
        ModelConfig m = regressionModel();
        RunResult whole = trainExactly(PATTERNS, m, rule, cfg);
        Path file = dir.resolve(opt + online + ".state");
        long stop = online ? 6 : 21; // 21 is between checkpoints: interval statistics are saved
        try (Trainer first = exactTrainer(PATTERNS, m, rule, cfg,
            FloatParameters.initialize(m, cfg.seed()))) {
          RunResult part = first.runUntil(stop);
          assertEquals(RunStatus.INCOMPLETE, part.status());
          assertEquals(stop, part.iterations());
          TrainingStateFile.write(file, first.snapshot());
        }
        // a fresh trainer with other initial weights (seed 99) and another thread count
        TrainerConfig resumed = cfg.toBuilder().threads(2).build();
        try (Trainer second = exactTrainer(PATTERNS, m, rule, resumed,
            FloatParameters.initialize(m, 99))) {
          second.restore(TrainingStateFile.read(file));
          RunResult rest = second.run();
          assertEquals(RunStatus.OK, rest.status());
          assertArrayEquals(whole.parameters().data(), rest.parameters().data(), opt + online);
          assertEquals(whole.trajectory(), rest.trajectory(), opt + online);
        }
      }
    }
  }

  /**
   * Train-to-a-loss: with the target set to the training loss the full run records at its third
   * checkpoint (iteration 20), the run stops there (ok, 20 iterations), its trajectory is the
   * full run's first three points and its weights those of the full run at iteration 20; a
   * restored finished run does nothing more; an unreachable target does every iteration.
   */
  @Test
  void trainsToATargetLossAndStopsAtTheFirstCheckpointThatReachesIt() {
    ModelConfig m = regressionModel();
    TrainerConfig cfg = config().build();
    RunResult whole = trainExactly(PATTERNS, m, "bptt", cfg);
    List<TrajectoryPoint> w = whole.trajectory();
    assertTrue(w.get(0).trainLoss() > w.get(1).trainLoss()
        && w.get(1).trainLoss() > w.get(2).trainLoss(), "the loss must fall for this test");
    TrainerConfig toLoss = cfg.toBuilder().targetTrainLoss(w.get(2).trainLoss()).build();
    RunResult early;
    TrainingState done;
    try (Trainer t = exactTrainer(PATTERNS, m, "bptt", toLoss,
        FloatParameters.initialize(m, cfg.seed()))) {
      early = t.run();
      assertTrue(t.reachedTarget());
      done = t.snapshot();
    }
    assertEquals(RunStatus.OK, early.status());
    assertEquals(20, early.iterations());
    assertEquals(w.subList(0, 3), early.trajectory());
    try (Trainer t = exactTrainer(PATTERNS, m, "bptt", cfg,
        FloatParameters.initialize(m, cfg.seed()))) {
      assertArrayEquals(t.runUntil(20).parameters().data(), early.parameters().data());
    }
    try (Trainer t = exactTrainer(PATTERNS, m, "bptt", toLoss,
        FloatParameters.initialize(m, 99))) {
      t.restore(done);
      RunResult again = t.run();
      assertEquals(20, again.iterations());
      assertEquals(RunStatus.OK, again.status());
      assertArrayEquals(early.parameters().data(), again.parameters().data());
    }
    RunResult never = trainExactly(PATTERNS, m, "bptt", cfg.toBuilder().targetTrainLoss(0)
        .build());
    assertEquals(40, never.iterations());
    assertEquals(RunStatus.OK, never.status());
    assertEquals(w, never.trajectory());
    assertFalse(cfg.fingerprint().contains("target"), "runs without a target keep their ids");
    assertTrue(toLoss.fingerprint().contains("targetTrainLoss="));
    for (double bad : new double[] {-1, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class,
          () -> cfg.toBuilder().targetTrainLoss(bad).build());
    }
  }

  /**
   * Restore sets the saved sampler position instead of replaying one draw per past iteration:
   * a state claiming 10^12 iterations restores at once (a replay would take hours), and the
   * restored trainer's sampler stands where the saved one did.
   */
  @Test
  void restoreDoesNotReplayTheSampler() {
    ModelConfig m = model();
    TrainerConfig cfg = config().iterations(2_000_000_000_000L).build();
    TrainingState s;
    try (Trainer t = new Trainer(XOR, FloatRules.create("bptt", m, 1),
        FloatParameters.initialize(m, 1), cfg, List.of())) {
      t.runUntil(7);
      s = t.snapshot();
    }
    TrainingState far = new TrainingState(s.fingerprint(), 1_000_000_000_000L,
        1_000_000_000_000L, s.parameters(), s.optimizer(), s.sampler(), s.intervalLossSum(),
        s.intervalCount(), s.lastGradientNorm(), s.status(), s.divergedAt(), s.reason(),
        s.trajectory());
    try (Trainer t = new Trainer(XOR, FloatRules.create("bptt", m, 1),
        FloatParameters.initialize(m, 2), cfg, List.of())) {
      assertTimeoutPreemptively(Duration.ofSeconds(20), () -> t.restore(far));
      assertEquals(far.iteration(), t.iteration());
      assertEquals(s.sampler(), t.snapshot().sampler());
    }
  }

  @Test
  void restoreRefusesAnotherConfiguration() {
    ModelConfig m = model();
    TrainingState s;
    try (Trainer t = new Trainer(XOR, FloatRules.create("bptt", m, 1),
        FloatParameters.initialize(m, 1), config().build(), List.of())) {
      t.runUntil(3);
      s = t.snapshot();
    }
    try (Trainer t = new Trainer(XOR, FloatRules.create("bptt", m, 1),
        FloatParameters.initialize(m, 1), config().learningRate(0.5).build(), List.of())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> t.restore(s));
      assertTrue(e.getMessage().contains("another run configuration"), e.getMessage());
    }
  }

  @Test
  void aHugeLearningRateDivergesWithTheIteration() {
    RunResult r = train("bptt", config().optimizer(OptimizerSettings.sgd()).learningRate(1e30)
        .build(), List.of());
    assertEquals(RunStatus.DIVERGED, r.status());
    assertTrue(r.divergedAt() >= 0 && r.divergedAt() < 40, "at " + r.divergedAt());
    assertEquals(r.divergedAt(), r.iterations());
    assertTrue(r.reason().startsWith("diverged at iteration " + r.divergedAt()), r.reason());
  }

  @Test
  void aNonFiniteLossStopsAtThatIterationAndKeepsTheLastFiniteWeights() {
    ModelConfig m = model();
    FloatLearningRule bptt = FloatRules.create("bptt", m, 1);
    int[] calls = {0};
    FloatLearningRule poisoned = new FloatLearningRule() {
      @Override
      public String id() {
        return "poisoned";
      }

      @Override
      public ModelConfig config() {
        return m;
      }

      @Override
      public FloatWorkspace newWorkspace(int batchSize, int steps) {
        return bptt.newWorkspace(batchSize, steps);
      }

      @Override
      public long stateBytesPerSample(int steps) {
        return bptt.stateBytesPerSample(steps);
      }

      @Override
      public double gradient(FloatParameters p, FloatBatch batch, FloatWorkspace ws,
          float[] grad) {
        double j = bptt.gradient(p, batch, ws, grad);
        return ++calls[0] == 8 ? Double.NaN : j;
      }
    };
    try (Trainer t = new Trainer(XOR, poisoned, FloatParameters.initialize(m, 3),
        config().shards(1).build(), List.of())) {
      RunResult r = t.run();
      assertEquals(RunStatus.DIVERGED, r.status());
      assertEquals(7, r.divergedAt());
      assertEquals(7, r.iterations());
      for (float v : r.parameters().data()) {
        assertTrue(Float.isFinite(v));
      }
      assertTrue(r.reason().contains("loss is NaN"), r.reason());
    }
  }

  @Test
  void onlineNeedsARuleWithAnOnlineMode() {
    ModelConfig m = model();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(XOR, FloatRules.create("bptt", m, 1), FloatParameters.initialize(m, 1),
            config().online(true).build(), List.of()));
    assertEquals("rule bptt has no online mode", e.getMessage());
    RunResult r = train("tbptt", config().online(true).iterations(30).build(), List.of());
    assertEquals(RunStatus.OK, r.status(), r.reason());
  }

  @Test
  void progressIsReportedEveryIteration() {
    ModelConfig m = model();
    List<Long> its = new ArrayList<>();
    try (Trainer t = new Trainer(XOR, FloatRules.create("bptt", m, 1),
        FloatParameters.initialize(m, 1), config().iterations(7).build(), List.of())) {
      t.onProgress((i, n, loss) -> {
        assertEquals(7, n);
        assertTrue(Double.isFinite(loss));
        its.add(i);
      });
      t.run();
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), its);
  }

  @Test
  void checkpointIterationsAreEvenAndDistinct() {
    assertArrayEquals(new long[] {0, 25, 50, 75, 100}, Trainer.checkpointIterations(100, 5));
    assertArrayEquals(new long[] {100}, Trainer.checkpointIterations(100, 1));
    assertArrayEquals(new long[] {0, 1, 2}, Trainer.checkpointIterations(2, 10));
    assertEquals(41, Trainer.checkpointIterations(10_000, 41).length);
  }
}
