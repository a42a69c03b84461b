package org.tca.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rule that has not fitted its training set, so that its final gap is not comparable with a
 * rule that has (a network that has not fitted its training set has a small gap because its
 * train loss is high, not because it generalizes). With L_r the mean final train loss of rule
 * r's runs, L* = min_r L_r that of the best-fitting rule and L_0 the mean train loss at the first
 * checkpoint (before training), rule r under-fits when both
 *
 * <pre>
 *   L_r &gt; {@value #RATIO} L*     and     L_r - L* &gt; {@value #SHARE} (L_0 - L*)
 * </pre>
 *
 * hold: it ends several times above the best rule, and the difference is a real share of what
 * training removed (so two rules that both fit well, e.g. 0.004 and 0.02 from 0.69, do not
 * count).
 *
 * @param rule the rule that under-fits
 * @param trainLoss its mean final train loss L_r
 * @param trainAccuracy its mean final train accuracy (NaN for regression)
 * @param bestRule the best-fitting rule
 * @param bestTrainLoss L*
 * @param bestTrainAccuracy the best rule's mean final train accuracy
 * @param initialTrainLoss L_0
 */
public record UnderFit(String rule, double trainLoss, double trainAccuracy, String bestRule,
    double bestTrainLoss, double bestTrainAccuracy, double initialTrainLoss) {

  /** How many times the best rule's train loss an under-fitting rule ends above. */
  public static final double RATIO = 4;

  /** The share of the train loss removed by training that the excess must exceed. */
  public static final double SHARE = 0.1;

  /** The rules of {@code runs} (usable runs of one task and setting) that under-fit. */
  public static List<UnderFit> find(List<RunRecord> runs) {
    List<String> rules = runs.stream().map(RunRecord::rule).distinct().toList();
    if (rules.size() < 2) {
      return List.of();
    }
    double initial = StudySummary.finiteMean(runs.stream().filter(r -> !r.trajectory().isEmpty())
        .toList(), r -> r.trajectory().get(0).trainLoss());
    String best = null;
    double bestLoss = Double.POSITIVE_INFINITY;
    for (String rule : rules) {
      double l = mean(runs, rule, RunRecord::trainLoss);
      if (l < bestLoss) {
        best = rule;
        bestLoss = l;
      }
    }
    List<UnderFit> out = new ArrayList<>();
    for (String rule : rules) {
      double l = mean(runs, rule, RunRecord::trainLoss);
      if (l > RATIO * bestLoss && l - bestLoss > SHARE * (initial - bestLoss)) {
        out.add(new UnderFit(rule, l, mean(runs, rule, RunRecord::trainAccuracy), best,
            bestLoss, mean(runs, best, RunRecord::trainAccuracy), initial));
      }
    }
    return out;
  }

  /** The mean of f over the runs of {@code rule}, NaN when none is finite (no accuracy). */
  private static double mean(List<RunRecord> runs, String rule,
      java.util.function.ToDoubleFunction<RunRecord> f) {
    return StudySummary.finiteMean(runs.stream().filter(r -> r.rule().equals(rule)).toList(), f);
  }

  /** One sentence with the numbers. */
  public String sentence() {
    String acc = Double.isFinite(trainAccuracy) ? String.format(Locale.ROOT,
        " (train accuracy %.1f%% against %.1f%%)", 100 * trainAccuracy, 100 * bestTrainAccuracy)
        : "";
    return String.format(Locale.ROOT, "%s has not fitted its training set: its mean final train"
        + " loss is %.4g against %.4g for %s, the best-fitting rule%s, from %.4g before"
        + " training.", rule, trainLoss, bestTrainLoss, bestRule, acc, initialTrainLoss);
  }
}
