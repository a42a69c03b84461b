package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tca.numerics.kernels.Kernels;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.spiking.FloatSpikingRules;
import org.tca.rules.spiking.SpikingConfig;
import org.tca.rules.spiking.SpikingInitialization;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.Task;

/** The evaluation seats a run's evaluators share: same bits as own seats, bounded bytes. */
class EvaluationSeatsTest {

  /** Delayed XOR (T = 16) with a shifted test set of T = 18. */
  private static final Task XOR = TrainTestSupport.delayedXor(6, 4, 50, 37);

  /** A network to evaluate, with its parameters. */
  private record Net(String what, ForwardModel model, FloatParameters params, ModelConfig m) {}

  private static List<Net> nets() {
    ModelConfig rate = ModelConfig.builder(XOR.inputSize(), 9, XOR.outputSize()).build();
    ModelConfig base = ModelConfig.builder(XOR.inputSize(), 11, XOR.outputSize())
        .recurrentBias(false).build();
    SpikingConfig s = SpikingConfig.published(base);
    return List.of(
        new Net("rate", ForwardModel.of(FloatRules.create("bptt", rate, 1), Kernels.scalarF32()),
            FloatParameters.initialize(rate, 3), rate),
        new Net("spiking", ForwardModel.of(FloatSpikingRules.create("bptt", s,
            RuleOptions.defaults()), Kernels.scalarF32()), SpikingInitialization.initialize(s, 3,
            4), base));
  }

  /**
   * An evaluator on seats shared with others (larger capacity, other sets and chunk sizes used
   * before it) gives the bits of one with seats of its own, on 1 and 3 threads: the chunking,
   * and so the summation, is the evaluator's own.
   */
  @Test
  void sharedSeatsGiveTheBitsOfOwnSeats() {
    Dataset shifted = XOR.shiftedTest().orElseThrow();
    for (Net net : nets()) {
      for (int threads : new int[] {1, 3}) {
        try (WorkerPool pool = new WorkerPool(threads);
            Evaluator own = new Evaluator(net.model(), XOR.test(), null, 5, pool);
            Evaluator ownTrain = new Evaluator(net.model(), XOR.train(), new int[] {1, 4, 9, 20,
                33, 40, 49}, 3, pool)) {
          EvaluationSeats seats = new EvaluationSeats(net.model(), 13, shifted.steps());
          try (Evaluator other = new Evaluator(seats, shifted, null, 13, pool);
              Evaluator shared = new Evaluator(seats, XOR.test(), null, 5, pool);
              Evaluator sharedTrain = new Evaluator(seats, XOR.train(), new int[] {1, 4, 9, 20,
                  33, 40, 49}, 3, pool)) {
            String what = net.what() + " on " + threads + " threads";
            Evaluator.Result before = other.evaluate(net.params());
            assertEquals(own.evaluate(net.params()), shared.evaluate(net.params()), what);
            assertEquals(ownTrain.evaluate(net.params()), sharedTrain.evaluate(net.params()),
                what);
            assertEquals(before, other.evaluate(net.params()), what + ": shifted again");
          }
        }
      }
    }
  }

  /**
   * The estimate's evaluation term bounds what a trainer's seats hold after the train, test and
   * shifted evaluations (train 50 trials, test 37, E = 20, K = 1) and is within 3x of it; its
   * pass term is exactly what a pass holds.
   */
  @Test
  void evaluationEstimateBoundsTheSeatsBytes() {
    Dataset shifted = XOR.shiftedTest().orElseThrow();
    for (Net net : nets()) {
      TrainerConfig c = TrainerConfig.builder().evalBatch(20).threads(1).evalShifted(true)
          .build();
      try (WorkerPool pool = new WorkerPool(1)) {
        EvaluationSeats seats = new EvaluationSeats(net.model(), 20, shifted.steps());
        for (Dataset d : new Dataset[] {XOR.train(), XOR.test(), shifted}) {
          try (Evaluator e = new Evaluator(seats, d, null, 20, pool)) {
            e.evaluate(net.params());
          }
        }
        boolean spiking = net.model().spiking();
        long estimate = MemoryEstimate.evaluationBytes(net.m(), c, shifted.steps(), 50, 37,
            spiking);
        long actual = seats.sizeInBytes();
        assertTrue(actual > 0 && actual <= estimate, net.what() + ": " + actual + " > "
            + estimate);
        assertTrue(estimate <= 3 * actual, net.what() + ": " + estimate + " vs " + actual);
        assertEquals(4 * MemoryEstimate.passValues(net.m(), 20, shifted.steps(), spiking),
            seats.pass(0).sizeInBytes(), net.what() + ": the pass exactly");
      }
    }
  }

  /**
   * Given the task, the estimate's evaluations are no larger than its sets (train 50, test 37
   * trials, not E = 256 for "the whole set"); without it, E; no more seats than chunks.
   */
  @Test
  void theTaskBoundsTheEvaluations() {
    ModelConfig m = ModelConfig.builder(XOR.inputSize(), 9, XOR.outputSize()).build();
    TrainerConfig c = TrainerConfig.builder().evalShifted(true).build();
    assertEquals(MemoryEstimate.evaluationBytes(m, c, XOR.steps(), 50, 37, false),
        MemoryEstimate.of(m, "bptt", c, XOR).evaluationBytes());
    assertEquals(MemoryEstimate.evaluationBytes(m, c, XOR.steps(), 0, 0, false),
        MemoryEstimate.of(m, "bptt", c, XOR.steps()).evaluationBytes());
    assertTrue(MemoryEstimate.evaluationBytes(m, c, XOR.steps(), 0, 0, false)
        > 5 * MemoryEstimate.evaluationBytes(m, c, XOR.steps(), 50, 37, false));
    TrainerConfig one = TrainerConfig.builder().evalBatch(20).threads(1).build();
    TrainerConfig four = TrainerConfig.builder().evalBatch(20).threads(4).build();
    assertEquals(3 * MemoryEstimate.evaluationBytes(m, one, XOR.steps(), 50, 37, false),
        MemoryEstimate.evaluationBytes(m, four, XOR.steps(), 50, 37, false),
        "3 seats: no more than the largest evaluation's ceil(50 / 20) chunks");
    TrainerConfig few = TrainerConfig.builder().trainEvalSize(30).testEvalSize(400).build();
    assertEquals(MemoryEstimate.evaluationBytes(m, few, XOR.steps(), 30, 37, false),
        MemoryEstimate.of(m, "bptt", few, XOR).evaluationBytes());
  }
}
