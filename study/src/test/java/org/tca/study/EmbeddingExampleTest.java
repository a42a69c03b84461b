package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tca.rules.curvature.CurvatureProbe;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.LearningRateSchedule;
import org.tca.rules.optim.OptimizerSettings;
import org.tca.study.RunRecord;
import org.tca.study.StudyPresets;
import org.tca.study.StudyRunner;
import org.tca.study.StudySpec;
import org.tca.study.StudySummary;
import org.tca.rules.task.Task;
import org.tca.rules.task.Tasks;
import org.tca.rules.train.Batches;
import org.tca.rules.train.RunResult;
import org.tca.rules.train.Trainer;
import org.tca.rules.train.TrainerConfig;
import org.tca.rules.train.TrajectoryPoint;

/**
 * The README's "Embedding tca" examples, compiled and run here; the README's code blocks must
 * appear in this file verbatim (checked below), so the documentation cannot drift.
 */
class EmbeddingExampleTest {

  @Test
  void trainOneNetworkAndTrackLambdaMax() throws IOException {
    // README:train
    Task task = Tasks.create("delayed-xor", Map.of("cue", "3", "delay", "6", "n-train", "64"));
    ModelConfig model = ModelConfig.builder(task.inputSize(), 16, task.outputSize())
        .loss(LossKind.CROSS_ENTROPY).tau(10, 1).build();
    FloatLearningRule rule = FloatRules.create("eprop", model, RuleOptions.defaults());
    FloatParameters params = FloatParameters.initialize(model, 42);
    TrainerConfig config = TrainerConfig.builder().iterations(200).batchSize(16)
        .checkpoints(5).seed(42).optimizer(OptimizerSettings.of("sgd"))
        .schedule(LearningRateSchedule.constant(0.05)).threads(1).build();
    CurvatureProbe lambdaMax = new CurvatureProbe(model, Batches.first(task.test(), 64),
        CurvatureProbe.Settings.defaults());
    RunResult result;
    try (Trainer trainer = new Trainer(task, rule, params, config, List.of(lambdaMax))) {
      result = trainer.run();
    }
    for (TrajectoryPoint p : result.trajectory()) {
      System.out.printf("iteration %d: train loss %.4f, test loss %.4f, lambda_max %.3f%n",
          p.iteration(), p.trainLoss(), p.testLoss(), p.probes().get("lambda_max"));
    }
    // README:end
    assertEquals(5, result.trajectory().size());
    for (TrajectoryPoint p : result.trajectory()) {
      assertTrue(p.probes().get("lambda_max") > 0, "lambda_max at " + p.iteration());
    }
    assertTrue(result.last().trainLoss() < result.trajectory().get(0).trainLoss(),
        "e-prop should lower the training loss");
  }

  @Test
  void runAStudyInProcess(@TempDir Path tmp) throws Exception {
    Path stateDir = tmp.resolve("state");
    // README:study
    StudySpec spec = StudyPresets.create("quick", null).toBuilder()
        .draws(List.of()).seedCount(2).iterations(40).ruleIterations(Map.of()).checkpoints(3)
        .heldOut(64).build();
    List<RunRecord> runs = new StudyRunner(spec, spec.createTasks(), stateDir,
        StudyRunner.RunStore.inMemory(), 2).run(new StudyRunner.Listener() {});
    StudySummary summary = StudySummary.of(runs);   // what summary.json holds
    for (RunRecord r : runs) {
      System.out.printf("%s: gap %.4f, lambda_max %.3f%n", r.id(), r.gap(), r.lambdaMax());
    }
    // README:end
    assertEquals(8, runs.size());
    assertEquals(8, summary.runs());
    runs.forEach(r -> assertTrue(Double.isFinite(r.lambdaMax()), r.id()));
  }

  @Test
  void theReadmeShowsTheseExamplesVerbatim() throws IOException {
    Path readme = Path.of("..", "README.md");
    String me = Files.readString(Path.of("src", "test", "java", "org", "tca", "study",
        "EmbeddingExampleTest.java"));
    String doc = Files.readString(readme);
    for (String tag : List.of("train", "study")) {
      String begin = "    // README:" + tag + "\n";
      int i = me.indexOf(begin) + begin.length();
      String block = me.substring(i, me.indexOf("    // README:end", i))
          .replaceAll("(?m)^    ", "");
      assertTrue(doc.contains(block), "README.md must contain the '" + tag + "' example:\n"
          + block);
    }
  }
}
