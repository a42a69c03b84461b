package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tca.numerics.kernels.FloatKernels;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.spiking.SpikingInitialization;
import org.tca.rules.task.Task;

/**
 * Training on evidence-accumulation trials generated on demand ({@code trials=generated}, an
 * unbounded set of 2^31 - 1 trials walked in order): the run is bit-identical on 1 and 3
 * threads, resumes bit for bit from a saved state (the trial index is a function of the
 * iteration: the state holds the cursor, no index order), and differs from the stored set's run
 * (which shuffles its 64 trials).
 */
class GeneratedTrialsTrainingTest {

  private static final Map<String, String> LAYOUT = Map.of("encoding", "poisson", "cues", "3",
      "cue", "30", "interval", "40", "delay", "50", "recall", "30", "loss-steps", "30",
      "n-test", "64");

  private static Task task(String... extra) {
    Map<String, String> p = new java.util.HashMap<>(LAYOUT);
    for (int k = 0; k < extra.length; k += 2) {
      p.put(extra[k], extra[k + 1]);
    }
    return TrainTestSupport.create("evidence-accumulation", p);
  }

  private static final Task GENERATED = task("trials", "generated", "n-train",
      Integer.toString(Integer.MAX_VALUE));

  private static Trainer trainer(Task task, TrainerConfig cfg) {
    FloatKernels k = Kernels.scalarF32();
    var c = SpikingTrainingTest.network();
    FloatParameters p = SpikingInitialization.initialize(c, cfg.seed(), 4);
    return new Trainer(task, FloatSpikingRules.create("eprop", c, RuleOptions.defaults(), k), p,
        cfg, List.of(), k);
  }

  private static RunResult run(Task task, TrainerConfig cfg) {
    try (Trainer t = trainer(task, cfg)) {
      return t.run();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void bitIdenticalForAnyThreadCountAndResumesBitForBit(@TempDir Path dir) throws Exception {
    TrainerConfig cfg = SpikingTrainingTest.config().iterations(12).checkpoints(3).shards(4)
        .trainEvalSize(32).build();
    RunResult whole = run(GENERATED, cfg);
    RunResult threaded = run(GENERATED, cfg.toBuilder().threads(3).build());
    assertArrayEquals(whole.parameters().data(), threaded.parameters().data());
    assertEquals(whole.trajectory(), threaded.trajectory());
    Path file = dir.resolve("generated.state");
    try (Trainer first = trainer(GENERATED, cfg)) {
      first.runUntil(5);
      TrainingState s = first.snapshot();
      assertEquals(5 * 16, s.sampler().cursor(), "iteration i starts at trial iB");
      assertEquals(0, s.sampler().order().length, "no index order is saved");
      TrainingStateFile.write(file, s);
    }
    try (Trainer second = trainer(GENERATED, cfg.toBuilder().threads(2).build())) {
      second.restore(TrainingStateFile.read(file));
      RunResult rest = second.run();
      assertArrayEquals(whole.parameters().data(), rest.parameters().data());
      assertEquals(whole.trajectory(), rest.trajectory());
    }
    RunResult stored = run(task("n-train", "64"), cfg);
    assertFalse(java.util.Arrays.equals(whole.parameters().data(), stored.parameters().data()),
        "the stored set's shuffled batches are other trials");
  }

  /** An unbounded generated training set cannot be evaluated whole: refused, naming the flag. */
  @Test
  void evaluatingAnUnboundedSetWholeIsRefused() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> trainer(GENERATED,
            SpikingTrainingTest.config().iterations(1).checkpoints(2).build()));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("--eval-train"),
        e.getMessage());
    trainer(GENERATED, SpikingTrainingTest.config().iterations(1).checkpoints(2)
        .trainEvalSize(8).build()).close();
  }
}
