package org.tca.study;

import java.util.Map;
import org.tca.rules.curvature.CurvatureProbe;
import org.tca.rules.learning.DoubleLearningRule;
import org.tca.rules.model.FloatBatch;
import org.tca.rules.model.FloatParameters;
import org.tca.rules.model.ModelConfig;
import org.tca.rules.train.CheckpointProbe;

/**
 * lambda_max of the chosen Hessian block at each checkpoint ({@link CurvatureProbe}), started
 * cold every time (a fresh probe with the same seed), so the value at a checkpoint depends only
 * on the parameters there: a run resumed from a saved checkpoint measures exactly what an
 * uninterrupted one does. At the last checkpoint it also records the rule's seen-curvature c,
 * measured with {@code rule}, the f64 twin of the rule being trained (see {@link CurvatureProbe}).
 */
final class FreshCurvatureProbe implements CheckpointProbe {

  private final ModelConfig config;
  private final FloatBatch heldOut;
  private final CurvatureProbe.Settings settings;
  private final DoubleLearningRule rule;
  private final long lastIteration;

  FreshCurvatureProbe(ModelConfig config, FloatBatch heldOut, CurvatureProbe.Settings settings,
      DoubleLearningRule rule, long lastIteration) {
    this.config = config;
    this.heldOut = heldOut;
    this.settings = settings;
    this.rule = rule;
    this.lastIteration = lastIteration;
  }

  @Override
  public Map<String, Double> measure(long iteration, double learningRate, FloatParameters params) {
    CurvatureProbe p = new CurvatureProbe(config, heldOut, settings,
        iteration == lastIteration ? rule : null);
    return p.measure(iteration, learningRate, params);
  }

  /**
   * {@code probe} with {@code prefix} before each metric name, less two_over_eta (which the
   * held-out probe records): e.g. the curvature on the training batch as
   * {@code train_lambda_max} beside the held-out {@code lambda_max}.
   */
  static CheckpointProbe prefixed(String prefix, CheckpointProbe probe) {
    return (iteration, learningRate, params) -> {
      Map<String, Double> out = new java.util.LinkedHashMap<>();
      probe.measure(iteration, learningRate, params).forEach((k, v) -> {
        if (!k.equals("two_over_eta")) {
          out.put(prefix + k, v);
        }
      });
      return out;
    };
  }
}
