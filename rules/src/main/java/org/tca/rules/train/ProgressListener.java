package org.tca.rules.train;

/** Told after every iteration (for progress bars); must be cheap. */
@FunctionalInterface
public interface ProgressListener {

  /**
   * @param iteration iterations done so far (1 after the first)
   * @param total the run's iteration count
   * @param loss the objective J of the last minibatch (per sequence, online)
   */
  void progress(long iteration, long total, double loss);
}
