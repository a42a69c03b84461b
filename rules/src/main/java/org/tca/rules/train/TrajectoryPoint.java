package org.tca.rules.train;

import java.util.Map;
import java.util.Objects;

/**
 * The measurements of one checkpoint. Losses are mean per-sample data losses (the L2 term is
 * {@code l2Penalty}, so the objective is {@code trainLoss + l2Penalty}); the generalization gap is
 * {@code testLoss - trainLoss}. Accuracies are NaN for regression tasks, shifted-test values NaN
 * when the shifted set is not evaluated, and the interval statistics NaN at iteration 0.
 *
 * @param iteration updates done so far (sequences, online)
 * @param learningRate the schedule's rate for the next iteration, eta(iteration)
 * @param trainLoss data loss on the training set (or its fixed evaluation subset)
 * @param trainAccuracy accuracy there
 * @param testLoss data loss on the test set
 * @param testAccuracy accuracy there
 * @param shiftedLoss data loss on the shifted test set
 * @param shiftedAccuracy accuracy there
 * @param l2Penalty (l2/2)(|W_in|^2 + |W_rec|^2 + |W_out|^2)
 * @param batchLoss mean minibatch objective J over the iterations since the previous checkpoint
 * @param gradientNorm ||g||_2 (before clipping) of the last update
 * @param probes probe metrics by name, in the probes' order
 */
public record TrajectoryPoint(long iteration, double learningRate, double trainLoss,
    double trainAccuracy, double testLoss, double testAccuracy, double shiftedLoss,
    double shiftedAccuracy, double l2Penalty, double batchLoss, double gradientNorm,
    Map<String, Double> probes) {

  /** Copies the probe map (keeping its order). */
  public TrajectoryPoint {
    Objects.requireNonNull(probes, "probes");
    probes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(probes));
  }

  /** Test minus train data loss. */
  public double gap() {
    return testLoss - trainLoss;
  }
}
