package org.tca.rules.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.OptimizerSettings;

/** The stall rule: a finished run whose final training loss is not below its initial one. */
class RunStatusTest {

  static TrajectoryPoint point(long it, double train) {
    return new TrajectoryPoint(it, 0.1, train, 0.5, train, 0.5, Double.NaN, Double.NaN, 0, train,
        1, Map.of());
  }

  @Test
  void stalledExactlyWhenTheFinalTrainLossIsNotBelowTheInitialOne() {
    assertEquals(RunStatus.OK, RunStatus.finished(List.of(point(0, 0.7), point(50, 0.69))));
    assertEquals(RunStatus.OK, RunStatus.finished(
        List.of(point(0, 0.7), point(50, 3.0), point(100, Math.nextDown(0.7)))));
    assertEquals(RunStatus.STALLED, RunStatus.finished(List.of(point(0, 0.7), point(100, 0.7))));
    assertEquals(RunStatus.STALLED, RunStatus.finished(
        List.of(point(0, 0.70), point(50, 0.1), point(100, 2.11))));
    assertEquals("stalled: train loss 2.110 at iteration 100 is not below 0.7000 at iteration 0",
        RunStatus.stallReason(List.of(point(0, 0.70), point(100, 2.11))));
    assertEquals("", RunStatus.stallReason(List.of(point(0, 0.70), point(100, 0.5))));
  }

  @Test
  void withoutAStartAndAnEndCheckpointOrFiniteLossesARunIsOk() {
    assertEquals(RunStatus.OK, RunStatus.finished(List.of()));
    assertEquals(RunStatus.OK, RunStatus.finished(List.of(point(0, 0.7))));
    assertEquals(RunStatus.OK, RunStatus.finished(List.of(point(10, 0.7), point(100, 2.0))));
    assertEquals(RunStatus.OK, RunStatus.finished(List.of(point(0, Double.NaN), point(9, 2.0))));
    assertEquals(RunStatus.OK, RunStatus.finished(List.of(point(0, 0.7), point(9, Double.NaN))));
  }

  /** A real run at an absurd rate (plain SGD, lr 100) ends above where it started: stalled. */
  @Test
  void anAbsurdLearningRateStalls() {
    ModelConfig m = TrainerTest.model();
    TrainerConfig cfg = TrainerTest.config().optimizer(OptimizerSettings.of("sgd"))
        .learningRate(100).iterations(40).build();
    RunResult r;
    try (Trainer t = TrainerTest.exactTrainer(TrainerTest.XOR, m, "bptt", cfg,
        FloatParameters.initialize(m, cfg.seed()))) {
      r = t.run();
      assertEquals(RunStatus.STALLED, t.snapshot().status(), "the saved state says so too");
    }
    double first = r.trajectory().get(0).trainLoss();
    double last = r.last().trainLoss();
    assertEquals(RunStatus.STALLED, r.status(), first + " -> " + last + " " + r.reason());
    assertTrue(Double.isFinite(last) && last >= first, first + " -> " + last);
    assertEquals(40, r.iterations());
    assertEquals(-1, r.divergedAt());
    assertTrue(r.reason().startsWith("stalled: train loss "), r.reason());
    RunResult fine = TrainerTest.trainExactly(TrainerTest.XOR, m, "bptt", TrainerTest.config()
        .build());
    assertEquals(RunStatus.OK, fine.status(), "the same run at a sane rate");
  }
}
