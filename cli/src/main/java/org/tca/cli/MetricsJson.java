package org.tca.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.train.RunResult;
import org.tca.rules.train.TrainerConfig;
import org.tca.rules.train.TrajectoryPoint;
import org.tca.rules.task.Task;

/**
 * The metrics file of {@code tca train} ({@code metrics.json}): status, the run's settings, the
 * final checkpoint with the generalization gaps, and the whole trajectory, one object per
 * checkpoint. Losses are mean per-sample data losses (no L2 term); NaN values are written as
 * null.
 */
final class MetricsJson {

  /** The value of the "format" key. */
  static final String FORMAT = "tca-metrics-1";

  private MetricsJson() {}

  static Map<String, Object> of(RunResult r, Task task, FloatLearningRule rule,
      TrainerConfig c, String optimizerText, Map<String, Object> model) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("format", FORMAT);
    j.put("status", r.status().id());
    j.put("iterations", r.iterations());
    j.put("diverged_at", r.divergedAt() < 0 ? null : r.divergedAt());
    j.put("reason", r.reason());
    j.put("seconds", r.seconds());
    j.put("task", task.name());
    j.put("task_parameters", task.parameters());
    j.put("train_trials", task.train().size());
    j.put("test_trials", task.test().size());
    j.put("shift", task.shiftDescription());
    j.put("rule", rule.id());
    j.put("rule_settings", new TreeMap<>(rule.settings()));
    j.put("model", model);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("iterations", c.iterations());
    t.put("batch", c.online() ? 1 : c.batchSize());
    t.put("online", c.online());
    t.put("optimizer", optimizerText);
    t.put("schedule", c.schedule().toString());
    t.put("clip_norm", Double.isInfinite(c.clipNorm()) ? null : c.clipNorm());
    t.put("seed", c.seed());
    t.put("checkpoints", c.checkpoints());
    t.put("threads", c.threads());
    t.put("shards", c.online() ? 1 : c.effectiveShards());
    t.put("eval_train", c.trainEvalSize());
    t.put("eval_test", c.testEvalSize());
    j.put("training", t);
    TrajectoryPoint last = r.last();
    j.put("final", last == null ? null : point(last, true));
    List<Object> traj = new ArrayList<>();
    for (TrajectoryPoint p : r.trajectory()) {
      traj.add(point(p, false));
    }
    j.put("trajectory", traj);
    return j;
  }

  static Map<String, Object> point(TrajectoryPoint p, boolean gaps) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("iteration", p.iteration());
    m.put("learning_rate", p.learningRate());
    m.put("train_loss", p.trainLoss());
    m.put("train_accuracy", p.trainAccuracy());
    m.put("test_loss", p.testLoss());
    m.put("test_accuracy", p.testAccuracy());
    m.put("shifted_loss", p.shiftedLoss());
    m.put("shifted_accuracy", p.shiftedAccuracy());
    m.put("l2_penalty", p.l2Penalty());
    m.put("batch_loss", p.batchLoss());
    m.put("grad_norm", p.gradientNorm());
    if (gaps) {
      m.put("gap", p.testLoss() - p.trainLoss());
      m.put("accuracy_gap", p.trainAccuracy() - p.testAccuracy());
      m.put("shifted_gap", p.shiftedLoss() - p.trainLoss());
    }
    m.putAll(p.probes());
    return m;
  }
}
