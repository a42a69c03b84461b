package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Block;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.spiking.SpikingInitialization;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.task.Task;

/**
 * Spiking networks through the {@link Trainer}: a short evidence-accumulation run in the Poisson
 * encoding (3 cues, T = 200, 10 LIF + 10 ALIF units, B = 16, Adam at 1e-2, 80 iterations) learns
 * with BPTT and with e-prop, while the same run with W_in and W_rec frozen (the readout alone
 * learning from the initial network's spikes) does not, so the test fails when the gradient of
 * the recurrent blocks is broken; firing rates are recorded at every checkpoint; runs are
 * bit-identical across thread counts and resume bit for bit.
 */
class SpikingTrainingTest {

  static final Task EVIDENCE = TrainTestSupport.create("evidence-accumulation", Map.of(
      "encoding", "poisson", "cues", "3", "cue", "30", "interval", "40", "delay", "50",
      "recall", "30", "loss-steps", "30", "n-train", "64", "n-test", "64"));

  static SpikingConfig network() {
    ModelConfig base = ModelConfig.builder(EVIDENCE.inputSize(), 20, 2).recurrentBias(false)
        .l2(0).build();
    return SpikingConfig.published(base).withRate(1, 0.01);
  }

  static TrainerConfig.Builder config() {
    return TrainerConfig.builder().iterations(80).batchSize(16).checkpoints(5).seed(1)
        .optimizer(OptimizerSettings.of("adam")).learningRate(1e-2).threads(1).evalBatch(64);
  }

  static Trainer trainer(String rule, TrainerConfig cfg, SpikingConfig c, Block... frozen) {
    FloatKernels k = Kernels.scalarF32();
    FloatParameters p = SpikingInitialization.initialize(c, cfg.seed(), 4);
    for (Block b : frozen) {
      p.freeze(b, true);
    }
    return new Trainer(EVIDENCE, FloatSpikingRules.create(rule, c, RuleOptions.defaults(), k), p, cfg,
        List.of(), k);
  }

  static RunResult run(String rule, TrainerConfig cfg, Block... frozen) {
    try (Trainer t = trainer(rule, cfg, network(), frozen)) {
      return t.run();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"bptt", "eprop"})
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aShortEvidenceRunLearnsAndRecordsFiringRates(String rule) {
    RunResult r = run(rule, config().build());
    assertEquals(RunStatus.OK, r.status(), r.reason());
    TrajectoryPoint last = r.last();
    assertTrue(last.testAccuracy() >= 0.85, rule + ": test accuracy " + last.testAccuracy());
    assertTrue(last.trainLoss() < 0.5 * r.trajectory().get(0).trainLoss(), rule);
    for (TrajectoryPoint p : r.trajectory()) {
      for (String key : List.of("train_firing_rate", "test_firing_rate")) {
        double rate = p.probes().get(key);
        assertTrue(rate > 0.001 && rate < 0.2, rule + " " + key + " " + rate);
      }
    }
  }

  /** The readout alone on the initial spikes stays near chance: the recurrent gradient matters. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theReadoutAloneDoesNotLearnIt() {
    RunResult r = run("bptt", config().build(), Block.W_IN, Block.W_REC);
    assertTrue(r.last().testAccuracy() < 0.75, "readout only: " + r.last().testAccuracy());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void bitIdenticalForAnyThreadCountAndResumesBitForBit(@TempDir Path dir) throws Exception {
    TrainerConfig cfg = config().iterations(12).checkpoints(3).shards(4).build();
    RunResult whole = run("eprop", cfg);
    RunResult threaded = run("eprop", cfg.toBuilder().threads(3).build());
    assertArrayEquals(whole.parameters().data(), threaded.parameters().data());
    assertEquals(whole.trajectory(), threaded.trajectory());
    // BPTT's sparse recurrent carry is per sample: the shards' sums are the same bits too
    RunResult bptt = run("bptt", cfg);
    RunResult bpttThreaded = run("bptt", cfg.toBuilder().threads(2).build());
    assertArrayEquals(bptt.parameters().data(), bpttThreaded.parameters().data());
    assertEquals(bptt.trajectory(), bpttThreaded.trajectory());
    Path file = dir.resolve("spiking.state");
    try (Trainer first = trainer("eprop", cfg, network())) {
      first.runUntil(5);
      TrainingStateFile.write(file, first.snapshot());
    }
    try (Trainer second = trainer("eprop", cfg.toBuilder().threads(2).build(), network())) {
      second.restore(TrainingStateFile.read(file));
      RunResult rest = second.run();
      assertArrayEquals(whole.parameters().data(), rest.parameters().data());
      assertEquals(whole.trajectory(), rest.trajectory());
    }
  }

  /** Another neuron constant is another run: its saved state is refused. */
  @Test
  void aStateOfAnotherSpikingNetworkIsRefused() {
    TrainerConfig cfg = config().iterations(2).checkpoints(2).build();
    TrainingState saved;
    try (Trainer t = trainer("bptt", cfg, network())) {
      saved = t.snapshot();
    }
    try (Trainer other = trainer("bptt", cfg, network().withRefractory(2))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> other.restore(saved));
      assertTrue(e.getMessage().contains("another run configuration"), e.getMessage());
    }
  }

  /**
   * Against spiking BPTT: spiking BPTT itself aligns exactly (cosine 1, norm ratio 1), e-prop
   * partly (its readout blocks are exact, its recurrent blocks drop the W_rec paths).
   */
  @Test
  void gradientAlignmentOfSpikingRulesIsAgainstSpikingBptt() {
    SpikingConfig c = network();
    FloatParameters p = SpikingInitialization.initialize(c, 3, 4);
    org.tca.rules.model.FloatBatch b = Batches.first(EVIDENCE.train(), 8);
    FloatKernels k = Kernels.scalarF32();
    Map<String, Double> self = new GradientAlignment(FloatSpikingRules.create("bptt", c,
        RuleOptions.defaults(), k), b, k).measure(0, 0, p);
    assertEquals(1.0, self.get("grad_cosine"), 1e-12);
    assertEquals(1.0, self.get("grad_norm_ratio"), 1e-12);
    Map<String, Double> eprop = new GradientAlignment(FloatSpikingRules.create("eprop", c,
        RuleOptions.defaults(), k), b, k).measure(0, 0, p);
    assertEquals(1.0, eprop.get("grad_cosine_W_out"), 1e-12);
    double rec = eprop.get("grad_cosine_W_rec");
    assertTrue(rec > 0 && rec < 0.9999, "e-prop W_rec cosine " + rec);
  }

  @Test
  void rateCellsRecordNoFiringRate() {
    try (Trainer t = new Trainer(TrainerTest.XOR, org.tca.rules.learning.FloatRules.create(
        "bptt", TrainerTest.model(), 1), FloatParameters.initialize(TrainerTest.model(), 1),
        TrainerTest.config().iterations(1).checkpoints(2).build(), List.of())) {
      assertFalse(t.run().last().probes().containsKey("train_firing_rate"));
    }
  }

  @Test
  void rulesThatDoNotRunOnSpikingCellsAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FloatSpikingRules.create("uoro", network(), RuleOptions.defaults(), Kernels.f32()));
    assertEquals("rule 'uoro' does not run on spiking cells (spiking rules: " + FloatSpikingRules.NAMES
        + ")", e.getMessage());
  }
}
