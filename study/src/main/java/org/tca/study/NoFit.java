package org.tca.study;

import java.util.List;
import java.util.Locale;

/**
 * A task (at one setting) where no rule has fitted its training set: with L* the mean final train
 * loss of the best-fitting rule, A* its mean final train accuracy (classification) and L_0 the
 * mean train loss at the first checkpoint (before training), the best rule has not fitted when
 *
 * <pre>
 *   L* &gt; {@value #SHARE} L_0     or     A* &lt; {@value #ACCURACY}
 * </pre>
 *
 * (training removed less than three quarters of the train loss, or the classifier still gets more
 * than a tenth of its own training set wrong).
 *
 * Every gap there is an under-trained network's gap, so no gap measures generalization at a
 * fitted minimum (a short budget, e.g. paper-smnist-small's 1/20 of the iterations, does this).
 * {@link UnderFit} compares rules with each other; this compares the best one with where training
 * started.
 *
 * @param bestRule the best-fitting rule
 * @param bestTrainLoss L*
 * @param bestTrainAccuracy its mean final train accuracy (NaN for regression)
 * @param initialTrainLoss L_0
 */
public record NoFit(String bestRule, double bestTrainLoss, double bestTrainAccuracy,
    double initialTrainLoss) {

  /** The share of the initial train loss above which the best rule has not fitted. */
  public static final double SHARE = 0.25;

  /** The train accuracy below which the best rule has not fitted a classification task. */
  public static final double ACCURACY = 0.9;

  /** The finding for {@code runs} (usable runs of one task and setting); null when a rule fitted. */
  public static NoFit find(List<RunRecord> runs) {
    List<RunRecord> started = runs.stream().filter(r -> !r.trajectory().isEmpty()).toList();
    if (started.isEmpty()) {
      return null;
    }
    double initial = StudySummary.finiteMean(started, r -> r.trajectory().get(0).trainLoss());
    String best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (String rule : runs.stream().map(RunRecord::rule).distinct().toList()) {
      double l = StudySummary.finiteMean(ofRule(runs, rule), RunRecord::trainLoss);
      if (l < bestLoss) {
        best = rule;
        bestLoss = l;
      }
    }
    if (best == null || !Double.isFinite(initial)) {
      return null;
    }
    double acc = StudySummary.finiteMean(ofRule(runs, best), RunRecord::trainAccuracy);
    boolean fitted = bestLoss <= SHARE * initial && !(acc < ACCURACY);
    return fitted ? null : new NoFit(best, bestLoss, acc, initial);
  }

  private static List<RunRecord> ofRule(List<RunRecord> runs, String rule) {
    return runs.stream().filter(r -> r.rule().equals(rule)).toList();
  }

  /** One paragraph with the numbers. */
  public String sentence() {
    String acc = Double.isFinite(bestTrainAccuracy) ? String.format(Locale.ROOT,
        " (train accuracy %.1f%%)", 100 * bestTrainAccuracy) : "";
    return String.format(Locale.ROOT, "No rule has fitted its training set: the best-fitting"
        + " rule, %s, ends at a mean train loss of %.4g%s from %.4g before training (%.0f%% of"
        + " it left; fitted means at most %.0f%% left and, for a classifier, at least %.0f%% train"
        + " accuracy). Every gap here is that of an under-trained"
        + " network, small because the train loss is still high, so these gaps do not test the"
        + " claims at a fitted minimum: train longer (more iterations, or until_train_loss) to"
        + " compare generalization.", bestRule, bestTrainLoss, acc, initialTrainLoss,
        100 * bestTrainLoss / initialTrainLoss, 100 * SHARE, 100 * ACCURACY);
  }
}
