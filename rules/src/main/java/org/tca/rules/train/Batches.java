package org.tca.rules.train;

import org.tca.rules.model.FloatBatch;
import org.tca.rules.task.Dataset;
import org.tca.rules.task.TaskKind;

/** Fixed batches taken from a dataset (held-out curvature batches, alignment batches). */
public final class Batches {

  private Batches() {}

  /**
   * A new batch holding the first {@code n} trials of {@code d}, with its loss mask: one label
   * per trial for a classification set, per-step targets for a regression set.
   *
   * @throws IllegalArgumentException if n is not in [1, d.size()]
   */
  public static FloatBatch first(Dataset d, int n) {
    if (n < 1 || n > d.size()) {
      throw new IllegalArgumentException("n must be in [1, " + d.size() + "], got " + n);
    }
    FloatBatch b = (d.kind() == TaskKind.CLASSIFICATION
        ? FloatBatch.classification(d.steps(), n, d.inputSize(), d.outputSize(), false)
        : FloatBatch.regression(d.steps(), n, d.inputSize(), d.outputSize()))
        .lossMask(d.lossMask());
    d.gather(null, 0, n, b.x(), b.labels(), b.targets());
    return b;
  }
}
