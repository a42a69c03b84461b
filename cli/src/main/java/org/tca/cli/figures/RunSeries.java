package org.tca.cli.figures;

import java.util.Locale;
import java.util.Objects;

/**
 * One training run as the study figures see it: its identity, its learning-rate setting, the
 * checkpoint curves and the final numbers. The generalization gap is test minus train data loss,
 * gap = L_test - L_train, and lambdaMax is the leading eigenvalue of the chosen Hessian block of
 * the true training loss; gradient descent at step size eta is stable only below 2/eta.
 *
 * <p>The curves share one iteration axis; a value that was not measured at a checkpoint (e.g.
 * lambda_max measured at fewer checkpoints than the losses) is NaN and is skipped when plotted,
 * as are infinities. A diverged run is drawn up to its last finite point and marked, and is left
 * out of every mean, sd and fit.
 *
 * @param rule the learning rule's name as shown in legends ("BPTT", "e-prop")
 * @param seed the run's seed
 * @param setting label of the learning-rate setting for the remedy panel ("eta = 0.05 + boost");
 *     null means "eta = LR"
 * @param lr the base learning rate eta (positive), whose 2/eta line is drawn
 * @param diverged whether the run diverged (its numbers are not averaged or fitted)
 * @param iterations checkpoint iterations
 * @param trainLoss train data loss at each checkpoint
 * @param testLoss test data loss at each checkpoint
 * @param lambdaMax leading Hessian eigenvalue at each checkpoint (NaN where not measured)
 * @param gap the final generalization gap (NaN or infinite allowed for diverged runs)
 * @param finalLambdaMax the final lambda_max
 * @param spiking the accuracy, firing-rate and alignment curves of a spiking run (which has no
 *     lambda_max); null for a rate-cell run
 */
public record RunSeries(String rule, long seed, String setting, double lr, boolean diverged,
    double[] iterations, double[] trainLoss, double[] testLoss, double[] lambdaMax, double gap,
    double finalLambdaMax, SpikingCurves spiking) {

  /** A rate-cell run (no spiking curves). */
  public RunSeries(String rule, long seed, String setting, double lr, boolean diverged,
      double[] iterations, double[] trainLoss, double[] testLoss, double[] lambdaMax, double gap,
      double finalLambdaMax) {
    this(rule, seed, setting, lr, diverged, iterations, trainLoss, testLoss, lambdaMax, gap,
        finalLambdaMax, null);
  }

  /** Checks the fields and copies the arrays. */
  public RunSeries {
    Objects.requireNonNull(rule, "rule");
    if (rule.isBlank()) {
      throw new IllegalArgumentException("rule name is blank");
    }
    if (!(lr > 0 && Double.isFinite(lr))) {
      throw new IllegalArgumentException("lr must be positive and finite, got " + lr);
    }
    if (setting == null) {
      setting = "η = " + format(lr);
    }
    int n = Objects.requireNonNull(iterations, "iterations").length;
    for (double[] a : new double[][] {trainLoss, testLoss, lambdaMax}) {
      if (Objects.requireNonNull(a, "curve").length != n) {
        throw new IllegalArgumentException("curves of " + rule + " seed " + seed
            + " differ in length from iterations (" + n + ")");
      }
    }
    if (spiking != null && spiking.length() != n) {
      throw new IllegalArgumentException("spiking curves of " + rule + " seed " + seed
          + " differ in length from iterations (" + n + ")");
    }
    iterations = iterations.clone();
    trainLoss = trainLoss.clone();
    testLoss = testLoss.clone();
    lambdaMax = lambdaMax.clone();
  }

  /** A copy of the checkpoint iterations. */
  @Override
  public double[] iterations() {
    return iterations.clone();
  }

  /** A copy of the train losses. */
  @Override
  public double[] trainLoss() {
    return trainLoss.clone();
  }

  /** A copy of the test losses. */
  @Override
  public double[] testLoss() {
    return testLoss.clone();
  }

  /** A copy of the lambda_max values. */
  @Override
  public double[] lambdaMax() {
    return lambdaMax.clone();
  }

  /** Whether this run counts in means and fits: not diverged, and gap and lambda_max finite. */
  public boolean usable() {
    return !diverged && Double.isFinite(gap) && Double.isFinite(finalLambdaMax);
  }

  /** A short number: 0.01, 0.05, 1e-04, 2.5e-03. */
  static String format(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5)) {
      return String.format(Locale.ROOT, "%.1e", v).replace(".0e", "e");
    }
    String s = String.format(Locale.ROOT, "%.4g", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }
}
