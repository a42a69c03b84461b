package org.tca.rules.train;

import java.util.Map;
import org.tca.rules.model.FloatParameters;

/**
 * A measurement taken at training checkpoints (curvature, alignment with the true gradient, ...):
 * the trainer calls {@link #measure} with the current parameters and records the returned
 * metrics, by name, in the run's trajectory. Probes must not modify the parameters. They may
 * allocate (checkpoints are rare), but should reuse their workspaces between calls.
 */
public interface CheckpointProbe {

  /**
   * Measures at a checkpoint. {@code iteration} is the number of updates done so far and
   * {@code learningRate} the current step size (for lines such as 2/eta). Returns metric name ->
   * value, in a stable order (e.g. a LinkedHashMap); names are snake_case, e.g. "lambda_max".
   */
  Map<String, Double> measure(long iteration, double learningRate, FloatParameters params);
}
