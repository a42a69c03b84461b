package org.tca.rules.task;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tca.rules.model.FloatParameters;

/**
 * Each cognitive task, at its default sizes, is learned to well above chance in a CI-sized run:
 * a leaky ReLU RNN of N = 32 (voltage-leak, tau = 5 steps), Adam at 0.01, B = 32, on 512
 * training trials (data seed 3), scored on 500 independent test trials
 * ({@link CognitiveTaskTraining}). "Well above chance" per task:
 *
 * <ul>
 *   <li>accuracy over the decision epoch (chance 0.5): perceptual decision making >= 0.75 (its
 *       coherence-0 trials, a fifth, are coin flips, so the best possible is about 0.9),
 *       context-dependent integration >= 0.85 (a network that ignores the context cue and
 *       follows one modality scores 0.75), delayed match-to-sample, parametric working memory
 *       >= 0.9, go/no-go >= 0.95;
 *   <li>normalised MSE over the response window (chance 1: the best predictor that knows the step
 *       but not the trial): flip-flop <= 0.25 (e-prop: <= 0.3), ready-set-go <= 0.3.
 * </ul>
 *
 * Measured (this seed): BPTT 0.87, 1.00, 0.94, 1.00, 1.00 accuracy, flip-flop NMSE 0.06 (500
 * iterations), ready-set-go 0.11 (1500); e-prop (500 iterations) 0.88, 1.00, 0.92, 0.98, 1.00 and
 * flip-flop 0.15. E-prop does not learn ready-set-go in such a run (NMSE 1.03): the interval must
 * be carried from the set cue to the go time, and e-prop's truncated credit does not reach back.
 */
class CognitiveTasksLearnTest {

  @ParameterizedTest(name = "{1} on {0}")
  @CsvSource({
      "perceptual-decision-making, bptt, 300, 0.75",
      "delay-match-sample, bptt, 300, 0.9",
      "context-decision-making, bptt, 300, 0.85",
      "parametric-working-memory, bptt, 300, 0.9",
      "go-no-go, bptt, 300, 0.95",
      "perceptual-decision-making, eprop, 500, 0.75",
      "delay-match-sample, eprop, 500, 0.9",
      "context-decision-making, eprop, 500, 0.85",
      "parametric-working-memory, eprop, 500, 0.9",
      "go-no-go, eprop, 500, 0.95"})
  void classificationWellAboveChance(String name, String rule, int iterations, double minimum) {
    Task task = task(name);
    FloatParameters p = CognitiveTaskTraining.train(task, rule, 32, 32, iterations, 0.01);
    double accuracy = CognitiveTaskTraining.accuracy(p, task.test());
    assertTrue(accuracy >= minimum, rule + " on " + name + ": test accuracy " + accuracy
        + " < " + minimum);
  }

  @ParameterizedTest(name = "{1} on {0}")
  @CsvSource({
      "flip-flop, bptt, 500, 0.25",
      "flip-flop, eprop, 500, 0.3",
      "ready-set-go, bptt, 1500, 0.3"})
  void regressionWellBelowChance(String name, String rule, int iterations, double maximum) {
    Task task = task(name);
    FloatParameters p = CognitiveTaskTraining.train(task, rule, 32, 32, iterations, 0.01);
    double nmse = CognitiveTaskTraining.normalisedMse(p, task.test());
    assertTrue(nmse <= maximum, rule + " on " + name + ": test normalised MSE " + nmse + " > "
        + maximum);
  }

  private static Task task(String name) {
    return TaskTestSupport.create(name, "n-train", "512", "n-test", "500", "seed", "3");
  }
}
