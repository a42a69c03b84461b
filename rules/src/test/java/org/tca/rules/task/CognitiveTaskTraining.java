package org.tca.rules.task;

import org.tca.numerics.random.RandomStream;
import org.tca.rules.learning.FloatLearningRule;
import org.tca.rules.learning.FloatRules;
import org.tca.rules.learning.FloatWorkspace;
import org.tca.rules.learning.RuleOptions;
import org.tca.rules.model.Cell;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatNetwork;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.FloatTrajectory;
import org.tca.rules.model.LossKind;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.optim.FloatAdam;
import org.tca.rules.optim.TrainableRanges;

/**
 * A small training loop for the cognitive-task learning tests, independent of the trainer: a
 * leaky RNN (voltage-leak cell, tau = 5 steps, ReLU, no L2) trained offline by a rule with Adam
 * at a fixed learning rate on minibatches drawn in a seeded order, and the two test metrics:
 * classification accuracy over the response window, and normalised MSE over the loss mask,
 *
 * <pre>
 *   NMSE = sum_{t,b,k} m_t (y_t[b][k] - y*_t[b][k])^2 / sum_{t,b,k} m_t (y*_t[b][k] - ybar_t[k])^2,
 * </pre>
 *
 * ybar_t the mean target over the trials at step t: the best predictor that knows the step but
 * not the trial scores 1 (chance), a perfect one 0.
 */
final class CognitiveTaskTraining {

  private CognitiveTaskTraining() {}

  /** Trains a fresh network (init seed 11, order seed 5) and returns its parameters. */
  static FloatParameters train(Task task, String rule, int hidden, int batch, int iterations,
      double learningRate) {
    Dataset train = task.train();
    boolean classification = task.kind() == TaskKind.CLASSIFICATION;
    ModelConfig c = ModelConfig.builder(task.inputSize(), hidden, task.outputSize())
        .cell(Cell.VOLTAGE_LEAK).tau(5, 1).l2(0)
        .loss(classification ? LossKind.CROSS_ENTROPY : LossKind.MSE).build();
    FloatLearningRule r = FloatRules.create(rule, c, RuleOptions.defaults());
    FloatParameters p = FloatParameters.initialize(c, 11);
    FloatBatch b = batch(c, train, batch);
    FloatWorkspace ws = r.newWorkspace(batch, train.steps());
    float[] g = p.newGradient();
    FloatAdam adam = new FloatAdam(g.length, TrainableRanges.all(g.length), 0.9, 0.999, 1e-8);
    int[] order = new RandomStream(5).permutation(train.size());
    for (int it = 0; it < iterations; it++) {
      int offset = it * batch % (train.size() - batch + 1);
      train.gather(order, offset, batch, b.x(), b.labels(), b.targets());
      r.gradient(p, b, ws, g);
      adam.step(p.data(), g, 1.0, learningRate);
      p.project();
    }
    return p;
  }

  /** Accuracy over the trials of {@code set} and the steps of its loss mask. */
  static double accuracy(FloatParameters p, Dataset set) {
    FloatBatch b = batch(p.config(), set, set.size());
    FloatTrajectory tr = forward(p, set, b);
    return new FloatNetwork(p.config()).correct(b, tr) / (set.size() * b.lossMaskSum());
  }

  /** The normalised MSE of the class comment. */
  static double normalisedMse(FloatParameters p, Dataset set) {
    FloatBatch b = batch(p.config(), set, set.size());
    FloatTrajectory tr = forward(p, set, b);
    int n = set.size();
    int k = set.outputSize();
    double err = 0;
    double var = 0;
    for (int t = 0; t < set.steps(); t++) {
      if (set.lossMask(t) == 0f) {
        continue;
      }
      for (int o = 0; o < k; o++) {
        double mean = 0;
        for (int j = 0; j < n; j++) {
          mean += set.target(j, t, o);
        }
        mean /= n;
        for (int j = 0; j < n; j++) {
          double y = tr.y()[tr.yOffset(t) + j * k + o];
          double target = set.target(j, t, o);
          err += (y - target) * (y - target);
          var += (target - mean) * (target - mean);
        }
      }
    }
    return err / var;
  }

  private static FloatBatch batch(ModelConfig c, Dataset set, int size) {
    FloatBatch b = set.kind() == TaskKind.CLASSIFICATION
        ? FloatBatch.classification(set.steps(), size, c.inputs(), c.outputs(), false)
        : FloatBatch.regression(set.steps(), size, c.inputs(), c.outputs());
    return b.lossMask(set.lossMask());
  }

  private static FloatTrajectory forward(FloatParameters p, Dataset set, FloatBatch b) {
    set.gather(null, 0, set.size(), b.x(), b.labels(), b.targets());
    FloatTrajectory tr = new FloatTrajectory(p.config(), set.size(), set.steps());
    new FloatNetwork(p.config()).forward(p, b, tr);
    return tr;
  }
}
